//! CSV as HR systems export it: canonical or Japanese headers in any order,
//! one row per person and stint.

use unicode_normalization::UnicodeNormalization;

use super::decode::BadBytes;
use super::{Incoming, Problem, Record};
use crate::domain::date::parse_date;
use crate::domain::{Closeness, Consent, Person, Stint, Text};
use crate::text::full_width_kana;

/// The columns `export --format csv` writes: the canonical header, then the
/// extra columns needed for a lossless round trip.
pub const CANONICAL: [&str; 17] = [
    "name",
    "reading",
    "nickname",
    "email",
    "phone",
    "department",
    "role",
    "joined",
    "left",
    "company",
    "title",
    "location",
    "tags",
    "notes",
    "consent",
    "closeness",
    "last_contacted",
];
pub const EXTRA: [&str; 4] = ["links", "consent_date", "id", "consent_purpose"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Name,
    Reading,
    Nickname,
    Email,
    Phone,
    Link,
    Department,
    Role,
    Joined,
    Left,
    Company,
    Title,
    Location,
    Tags,
    Notes,
    Consent,
    ConsentDate,
    ConsentPurpose,
    Closeness,
    LastContacted,
}

impl Col {
    /// Multi-valued columns may appear several times (`email`, `email2`).
    fn repeatable(self) -> bool {
        matches!(self, Col::Email | Col::Phone | Col::Link | Col::Tags)
    }
}

/// Header names, compared after NFKC, lowercasing and dropping spaces, `_`, `-`, `.`.
const ALIASES: &[(Col, &[&str])] = &[
    (Col::Id, &["id", "alumniid"]),
    (
        Col::Name,
        &[
            "name",
            "fullname",
            "displayname",
            "氏名",
            "名前",
            "姓名",
            "お名前",
        ],
    ),
    (
        Col::Reading,
        &[
            "reading",
            "furigana",
            "kana",
            "yomi",
            "phonetic",
            "phoneticname",
            "ふりがな",
            "フリガナ",
            "よみ",
            "よみがな",
            "ヨミ",
            "ヨミガナ",
            "カナ",
            "氏名カナ",
            "氏名(カナ)",
            "氏名(フリガナ)",
        ],
    ),
    (
        Col::Nickname,
        &[
            "nickname",
            "nick",
            "ニックネーム",
            "あだ名",
            "あだな",
            "愛称",
            "呼び名",
        ],
    ),
    (
        Col::Email,
        &[
            "email",
            "mail",
            "emailaddress",
            "mailaddress",
            "emails",
            "メール",
            "メールアドレス",
            "eメール",
            "eメールアドレス",
        ],
    ),
    (
        Col::Phone,
        &[
            "phone",
            "phones",
            "tel",
            "telephone",
            "phonenumber",
            "mobile",
            "電話",
            "電話番号",
            "携帯",
            "携帯電話",
            "携帯番号",
        ],
    ),
    (
        Col::Link,
        &["links", "link", "url", "urls", "sns", "website", "リンク"],
    ),
    (
        Col::Department,
        &[
            "department",
            "dept",
            "division",
            "team",
            "部署",
            "所属部署",
            "所属",
            "部門",
            "部署名",
        ],
    ),
    (
        Col::Role,
        &["role", "position", "jobrole", "役職", "職位", "職種"],
    ),
    (
        Col::Joined,
        &[
            "joined",
            "joindate",
            "joineddate",
            "startdate",
            "start",
            "hiredate",
            "hired",
            "入社日",
            "入社",
            "入社年月日",
        ],
    ),
    (
        Col::Left,
        &[
            "left",
            "leftdate",
            "leavedate",
            "enddate",
            "end",
            "terminationdate",
            "exitdate",
            "退職日",
            "退社日",
            "退職",
            "退職年月日",
        ],
    ),
    (
        Col::Company,
        &[
            "company",
            "currentcompany",
            "employer",
            "organization",
            "organisation",
            "org",
            "現所属",
            "勤務先",
            "現勤務先",
            "会社",
            "会社名",
            "転職先",
        ],
    ),
    (
        Col::Title,
        &[
            "title",
            "currenttitle",
            "jobtitle",
            "肩書",
            "肩書き",
            "現役職",
        ],
    ),
    (
        Col::Location,
        &["location", "city", "address", "所在地", "住所", "居住地"],
    ),
    (Col::Tags, &["tags", "tag", "labels", "categories", "タグ"]),
    (
        Col::Notes,
        &[
            "notes", "note", "memo", "comments", "comment", "備考", "メモ",
        ],
    ),
    (Col::Consent, &["consent", "連絡可否", "連絡同意", "同意"]),
    (Col::ConsentDate, &["consentdate", "同意日"]),
    (
        Col::ConsentPurpose,
        &[
            "consentpurpose",
            "consentfor",
            "同意目的",
            "利用目的",
            "連絡目的",
        ],
    ),
    (Col::Closeness, &["closeness", "関係", "親密度"]),
    (
        Col::LastContacted,
        &[
            "lastcontacted",
            "lastcontact",
            "lastcontactdate",
            "最終連絡日",
            "最終連絡",
        ],
    ),
];

fn normalize_header(h: &str) -> String {
    h.nfkc()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '\u{3000}'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn column_for(header: &str) -> Option<Col> {
    let h = normalize_header(header);
    let find = |h: &str| {
        ALIASES
            .iter()
            .find(|(_, names)| names.iter().any(|n| normalize_header(n) == h))
            .map(|(c, _)| *c)
    };
    find(&h).or_else(|| {
        // `email2`, `電話番号2`: numbered copies of a multi-valued column.
        let base = h.trim_end_matches(|c: char| c.is_ascii_digit());
        (base.len() < h.len())
            .then(|| find(base))
            .flatten()
            .filter(|c| c.repeatable())
    })
}

fn split_list<L>(cell: &str, out: &mut L)
where
    L: std::ops::Deref<Target = [Text]> + Extend<Text>,
{
    for v in cell.split(';').map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.extend([v.into()]);
        }
    }
}

/// Parses CSV text (already decoded). `file` names the file in messages.
pub fn parse(file: &str, text: &str) -> Incoming {
    let mut records = Vec::new();
    let mut incoming = parse_with(file, text, &mut |rec| records.push(rec));
    incoming.records = records;
    incoming
}

/// As `parse`, handing each valid record to `emit` in file order instead of
/// keeping it (the returned `Incoming` has no records).
pub fn parse_with(file: &str, text: &str, emit: &mut dyn FnMut(Record)) -> Incoming {
    parse_decoded(file, text, "", &[], emit)
}

/// As `parse_with`, for text decoded from `encoding` with the undecodable
/// bytes `bad` (sorted by line): the rows holding them are problems.
pub fn parse_decoded(
    file: &str,
    text: &str,
    encoding: &str,
    bad: &[BadBytes],
    emit: &mut dyn FnMut(Record),
) -> Incoming {
    let mut incoming = Incoming::default();
    let fatal = |incoming: &mut Incoming, line, field: &str, message: String| {
        incoming
            .fatal
            .push(Problem::new(file, line, field, message));
    };
    // Excel's "sep=;" hint line, then the delimiter: tab when the header has
    // more tabs than commas (Excel's "Unicode text" export).
    let (text, skipped_lines, delimiter) = match text.split_once('\n') {
        Some((first, rest)) if first.trim_end().starts_with("sep=") => {
            let d = first.trim_end().as_bytes().get(4).copied().unwrap_or(b',');
            (rest, 1, d)
        }
        _ => {
            let first = text.lines().next().unwrap_or("");
            let tabs = first.matches('\t').count();
            (
                text,
                0,
                if tabs > first.matches(',').count() {
                    b'\t'
                } else {
                    b','
                },
            )
        }
    };
    let reader_at = |at: usize, has_headers: bool| {
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(has_headers)
            .from_reader(&text.as_bytes()[at..])
    };
    let mut reader = reader_at(0, true);
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            fatal(
                &mut incoming,
                Some(1 + skipped_lines),
                "header",
                e.to_string(),
            );
            return incoming;
        }
    };
    // Undecodable bytes up to the end of the header line: nothing can be read.
    let header_end = skipped_lines
        + 1
        + memchr::memchr_iter(
            b'\n',
            &text.as_bytes()[..(reader.position().byte() as usize).saturating_sub(1)],
        )
        .count();
    let mut next_bad = bad.partition_point(|b| b.line <= header_end);
    for b in &bad[..next_bad] {
        fatal(
            &mut incoming,
            Some(b.line),
            "encoding",
            b.describe(encoding),
        );
    }
    if next_bad > 0 {
        return incoming;
    }
    if headers.iter().all(|h| h.is_empty()) {
        fatal(
            &mut incoming,
            Some(1 + skipped_lines),
            "header",
            "the file is empty: expected a header line".into(),
        );
        return incoming;
    }
    let cols: Vec<Option<Col>> = headers.iter().map(|h| column_for(h)).collect();
    let unknown: Vec<&str> = headers
        .iter()
        .zip(&cols)
        .filter(|(h, c)| c.is_none() && !h.is_empty())
        .map(|(h, _)| h.as_str())
        .collect();
    if !unknown.is_empty() {
        incoming.warnings.push(format!(
            "{file}:{}: unknown columns ignored: {}",
            1 + skipped_lines,
            unknown.join(", ")
        ));
    }
    for (i, c) in cols.iter().enumerate() {
        if let Some(c) = c.filter(|c| !c.repeatable())
            && let Some(j) = cols[..i].iter().position(|o| *o == Some(c))
        {
            fatal(
                &mut incoming,
                Some(1 + skipped_lines),
                "header",
                format!(
                    "columns {:?} and {:?} mean the same field",
                    headers[j], headers[i]
                ),
            );
        }
    }
    if !cols.contains(&Some(Col::Name)) {
        fatal(
            &mut incoming,
            Some(1 + skipped_lines),
            "header",
            format!(
                "no name column (found: {}; expected name, 氏名 or 名前)",
                headers.join(", ")
            ),
        );
    }
    if !incoming.fatal.is_empty() {
        return incoming;
    }

    // The csv crate's line numbers go wrong with CRLF and blank lines; count
    // newlines before each record's first byte instead.
    let newlines: Vec<usize> = text
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |byte: u64| -> usize {
        let mut at = byte as usize;
        while matches!(text.as_bytes().get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        newlines.partition_point(|&n| n < at) + 1 + skipped_lines
    };
    // The line of a byte of `text` (not skipping line breaks).
    let line_of = |at: usize| newlines.partition_point(|&n| n < at) + 1 + skipped_lines;
    let header_of = |c: Col| {
        cols.iter()
            .position(|o| *o == Some(c))
            .map_or_else(String::new, |i| headers[i].clone())
    };
    let column_name = |field: usize| headers.get(field).map_or("row", |h| h.as_str()).to_string();
    let bad_bytes_in = |next: &mut usize, from: usize, to: usize| {
        let mut found = Vec::new();
        while *next < bad.len() && bad[*next].line <= to {
            let b = &bad[*next];
            if b.line >= from {
                found.push(Problem::new(
                    file,
                    Some(b.line),
                    "encoding",
                    b.describe(encoding),
                ));
            }
            *next += 1;
        }
        found
    };
    // Where the current reader starts in `text` (it starts again after a
    // quote that is never closed).
    let mut base = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| line_at(base as u64 + p.byte()));
                fatal(&mut incoming, line, "row", format!("unreadable CSV: {e}"));
                return incoming;
            }
        }
        let start = base + record.position().map_or(0, |p| p.byte() as usize);
        let end = base + reader.position().byte() as usize;
        let line = line_at(start as u64);
        let mut problems = Vec::new();
        // Only the last record can hold a quote that is never closed: it
        // runs to the end of the file. The lines after the quote's are read
        // again as rows of their own, so that their problems show too.
        if end == text.len()
            && let Some(q) = quoted_cells(&text.as_bytes()[start..end], delimiter)
                .into_iter()
                .find(|q| q.close.is_none())
        {
            let open = start + q.open;
            let at = line_of(open);
            incoming.rows += 1;
            problems.extend(bad_bytes_in(&mut next_bad, line, at));
            problems.push(Problem::new(
                file,
                Some(at),
                &column_name(q.field),
                format!(
                    "the quote opened at line {at} (column {}) is never closed: a cell in quotes ends with a quote, and a quote inside one is written twice (\"\")",
                    text[text[..open].rfind('\n').map_or(0, |n| n + 1)..open].chars().count() + 1
                ),
            ));
            incoming.problems.extend(problems);
            match memchr::memchr(b'\n', &text.as_bytes()[open..]) {
                Some(nl) => {
                    base = open + nl + 1;
                    reader = reader_at(base, false);
                    continue;
                }
                None => break,
            }
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue; // blank rows Excel leaves at the end
        }
        incoming.rows += 1;
        if next_bad < bad.len() {
            problems.extend(bad_bytes_in(
                &mut next_bad,
                line,
                line_of(end.saturating_sub(1)),
            ));
        }
        let undecodable = !problems.is_empty();
        // A CR other than the record's own line ending: one look per row,
        // not per cell.
        let raw = &text.as_bytes()[start..end];
        let cr_inside = raw
            .iter()
            .rposition(|&b| b != b'\r' && b != b'\n')
            .is_some_and(|last| memchr::memchr(b'\r', &raw[..last]).is_some());
        if record.len() != headers.len() {
            let mut message = format!(
                "has {} fields, the header has {}",
                record.len(),
                headers.len()
            );
            // A quote missing at the end of a cell makes the cell run on,
            // over line breaks, to the next quote.
            let raw = &text.as_bytes()[start..end];
            if let Some(q) = quoted_cells(raw, delimiter).into_iter().find(|q| {
                q.close
                    .is_some_and(|c| memchr::memchr(b'\n', &raw[q.open..c]).is_some())
            }) {
                let close = line_of(start + q.close.unwrap_or(0));
                message.push_str(&format!(
                    " (the quote opened at line {} in {:?} closes only at line {close}: is a quote missing?)",
                    line_of(start + q.open),
                    column_name(q.field)
                ));
            }
            problems.push(Problem::new(file, Some(line), "row", message));
        }
        // `"abc"def`: text after a cell's closing quote, which the csv
        // crate joins on silently (`abcdef`); usually a quote inside the
        // cell that was not written twice. One look for a quote per row; a
        // row whose fields do not add up was refused above already.
        if record.len() == headers.len() && memchr::memchr(b'"', raw).is_some() {
            for q in quoted_cells(raw, delimiter) {
                let Some(c) = q.close else { continue };
                let after = raw.get(c + 1).copied();
                if after.is_none_or(|b| b == delimiter || b == b'\r' || b == b'\n') {
                    continue;
                }
                let cell_end = memchr::memchr3(delimiter, b'\r', b'\n', &raw[c + 1..])
                    .map_or(raw.len(), |k| c + 1 + k);
                problems.push(Problem::new(
                    file,
                    Some(line_of(start + c)),
                    &column_name(q.field),
                    format!(
                        "text after the closing quote in `{}`: a quote inside a cell in quotes is written twice (\"\")",
                        String::from_utf8_lossy(&raw[q.open..cell_end])
                    ),
                ));
            }
        }
        let mut rec = Record {
            line: Some(line),
            path: String::new(),
            person: Person::default(),
            consent_given: false,
            closeness_given: false,
        };
        let mut stint = Stint::default();
        for ((cell, col), header) in record.iter().zip(&cols).zip(&headers) {
            let Some(col) = col else { continue };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            // Line breaks in a cell are stored as `\n`, whatever the file used.
            let unix;
            let cell = match cr_inside && cell.contains('\r') {
                true => {
                    unix = cell.replace("\r\n", "\n").replace('\r', "\n");
                    unix.as_str()
                }
                false => cell,
            };
            let mut bad = |msg: String| problems.push(Problem::new(file, Some(line), header, msg));
            let p = &mut rec.person;
            let date = |bad: &mut dyn FnMut(String)| parse_date(cell).map_err(bad).ok();
            match col {
                Col::Id => p.id = cell.into(),
                Col::Name => p.name = cell.into(),
                Col::Reading => p.reading = full_width_kana(cell).as_ref().into(),
                Col::Nickname => p.nickname = cell.into(),
                Col::Email => split_list(cell, &mut p.emails),
                Col::Phone => split_list(cell, &mut p.phones),
                Col::Link => split_list(cell, &mut p.links),
                Col::Tags => split_list(cell, &mut p.tags),
                Col::Department => stint.department = cell.into(),
                Col::Role => stint.role = cell.into(),
                Col::Joined => stint.joined = date(&mut bad),
                Col::Left => stint.left = date(&mut bad),
                Col::Company => p.company = cell.into(),
                Col::Title => p.title = cell.into(),
                Col::Location => p.location = cell.into(),
                Col::Notes => p.notes = cell.into(),
                Col::ConsentDate => p.consent_date = date(&mut bad),
                Col::ConsentPurpose => p.consent_purpose = cell.into(),
                Col::LastContacted => p.last_contacted = date(&mut bad),
                Col::Consent => match Consent::parse(cell) {
                    Some(c) => {
                        p.consent = c;
                        rec.consent_given = true;
                    }
                    None => bad(format!(
                        "{cell:?} is not one of yes, no, unknown (or 可, 否, 不明, ...)"
                    )),
                },
                Col::Closeness => match Closeness::parse(cell) {
                    Some(c) => {
                        p.closeness = c;
                        rec.closeness_given = true;
                    }
                    None => bad(format!(
                        "{cell:?} is not one of close, in_touch, distant, lost (or 親しい, 連絡あり, 疎遠, 音信不通)"
                    )),
                },
            }
        }
        if !stint.is_empty() {
            rec.person.stints.push(stint);
        }
        // Field-level checks, reported under the column the coordinator sees.
        for (field, message) in rec.person.problems() {
            let col = if field == "name" {
                Col::Name
            } else if field.starts_with("stints") {
                Col::Left
            } else {
                Col::Email
            };
            problems.push(Problem::new(file, Some(line), &header_of(col), message));
        }
        if !rec.person.id.is_empty() && !crate::domain::valid_id(&rec.person.id) {
            problems.push(Problem::new(
                file,
                Some(line),
                &header_of(Col::Id),
                format!("{:?} is not a usable id", rec.person.id),
            ));
        }
        if undecodable {
            // A value quoted with U+FFFD in it says again what the encoding
            // problem said.
            problems.retain(|p| p.field == "encoding" || !p.message.contains('\u{FFFD}'));
        }
        if problems.is_empty() {
            emit(rec);
        } else {
            incoming.problems.extend(problems);
        }
    }
    incoming
}

/// A cell of a raw record that starts with a quote: its field, the byte of
/// the opening quote and of the closing one (none: never closed).
struct Quoted {
    field: usize,
    open: usize,
    close: Option<usize>,
}

/// The quoted cells of the raw bytes of one record, read as the csv crate
/// reads them: a quote opens a cell only as its first byte, `""` inside is
/// a quote, and a quote elsewhere is text.
fn quoted_cells(raw: &[u8], delimiter: u8) -> Vec<Quoted> {
    let mut found = Vec::new();
    let (mut field, mut i, mut at_start) = (0, 0, true);
    while i < raw.len() {
        let b = raw[i];
        if at_start && b == b'"' {
            let open = i;
            i += 1;
            let close = loop {
                match memchr::memchr(b'"', &raw[i..]) {
                    None => break None,
                    Some(k) if raw.get(i + k + 1) == Some(&b'"') => i += k + 2,
                    Some(k) => {
                        i += k + 1;
                        break Some(i - 1);
                    }
                }
            };
            found.push(Quoted { field, open, close });
            if close.is_none() {
                break;
            }
            at_start = false;
            continue;
        }
        at_start = b == delimiter;
        if at_start {
            field += 1;
        }
        i += 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_aliases() {
        assert_eq!(column_for("Full Name"), Some(Col::Name));
        assert_eq!(column_for("E-mail"), Some(Col::Email));
        assert_eq!(column_for("メールアドレス2"), Some(Col::Email));
        assert_eq!(column_for("Start Date"), Some(Col::Joined));
        assert_eq!(column_for("ＦＵＬＬ　ＮＡＭＥ"), Some(Col::Name));
        assert_eq!(column_for("last_contacted"), Some(Col::LastContacted));
        assert_eq!(column_for("name2"), None);
        assert_eq!(column_for("favourite colour"), None);
        for c in CANONICAL.iter().chain(&EXTRA) {
            assert!(column_for(c).is_some(), "{c}");
        }
    }
}
