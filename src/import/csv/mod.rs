//! CSV as HR systems export it: canonical or Japanese headers in any order,
//! one row per person and stint.

mod columns;
mod diagnose;

pub use columns::{CANONICAL, EXTRA};

use super::decode::BadBytes;
use super::{Incoming, Problem, Record};
use crate::domain::date::parse_date;
use crate::domain::{Closeness, Consent, Person, Stint, Text};
use crate::text::full_width_kana;
use columns::{Col, column_for};
use diagnose::Quotes;

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
            let named = &first.trim_end()[4..];
            let d = named.as_bytes().first().copied().unwrap_or(b',');
            if !d.is_ascii() {
                let c = named.chars().next().unwrap_or(',');
                fatal(
                    &mut incoming,
                    Some(1),
                    "sep",
                    format!(
                        "the delimiter {c:?} is not an ASCII character (write sep=, sep=; or sep=|)"
                    ),
                );
                return incoming;
            }
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
        let raw = &text.as_bytes()[start..end];
        let quotes = Quotes::of(raw, delimiter);
        // Only the last record can hold a quote that is never closed: it
        // runs to the end of the file. The lines after the quote's are read
        // again as rows of their own, so that their problems show too.
        if end == text.len()
            && let Some(q) = quotes.never_closed()
        {
            let open = start + q.open;
            let at = line_of(open);
            incoming.rows += 1;
            problems.extend(bad_bytes_in(&mut next_bad, line, at));
            let column = text[text[..open].rfind('\n').map_or(0, |n| n + 1)..open]
                .chars()
                .count()
                + 1;
            problems.push(Problem::new(
                file,
                Some(at),
                &column_name(q.field),
                diagnose::never_closed(at, column),
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
            if let Some((q, close)) = quotes.over_lines() {
                message.push_str(&diagnose::missing_quote(
                    line_of(start + q.open),
                    &column_name(q.field),
                    line_of(start + close),
                ));
            }
            problems.push(Problem::new(file, Some(line), "row", message));
        }
        // `"abc"def`: text after a cell's closing quote (a row whose
        // fields do not add up was refused above already).
        if record.len() == headers.len() {
            for t in quotes.text_after_close() {
                problems.push(Problem::new(
                    file,
                    Some(line_of(start + t.close)),
                    &column_name(t.field),
                    t.message(),
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
