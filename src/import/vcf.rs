//! vCard files (2.1, 3.0, 4.0) as phones, Google, Outlook, khard and
//! `alumni export --format vcf` write them: one file of cards, or a vdir
//! (one card per file). See `crate::vcard` for the syntax.
//!
//! Re-import: a card that carries `X-ALUMNI-CONSENT` and `X-ALUMNI-CLOSENESS`
//! (every card this program exports) is a whole record. When every card of
//! the import is one, a matched person is replaced by the card (like JSON),
//! so a phone number deleted from the card is deleted from the person. Any
//! other card is partial (a phone's contact knows nothing of stints or
//! consent): it is merged like a CSV row, adding what is new and never
//! erasing. An import that mixes the two merges all of them.
//!
//! The UID is the person's id when the card is whole, or when it names a
//! stored person; otherwise a card from elsewhere is matched by email or
//! name (its UID would match nobody and make a duplicate).

use std::collections::HashMap;

use chrono::NaiveDate;
use encoding_rs::Encoding;

use super::{Incoming, Problem, Record};
use crate::domain::{Closeness, Consent, Person, Stint, Text, valid_id};
use crate::vcard::layout::{
    canonical, company_of, is_plain, layout, link_of, location_of, n_is_plain, reading_from, tel_of,
};
use crate::vcard::parse::{Card, Issue, parse as parse_cards};
use crate::vcard::{
    Property, X_CLOSENESS, X_CONSENT, X_LAST_CONTACTED, X_PHONETIC_FIRST, X_PHONETIC_LAST, X_STINT,
    is_east_asian,
};

/// Google puts every contact in this system group; it is not a tag.
const GOOGLE_ALL_CONTACTS: &str = "myContacts";

/// Reads one or more vCard files into one `Incoming`.
pub struct Reader<'a> {
    fallback: Option<&'static Encoding>,
    known_id: &'a dyn Fn(&str) -> bool,
    incoming: Incoming,
    /// Ids taken so far, and where.
    ids: HashMap<String, String>,
    all_whole: bool,
}

/// Parses one file of cards. `known_id` says whether an id is a stored person's.
pub fn parse(
    file: &str,
    bytes: &[u8],
    fallback: Option<&'static Encoding>,
    known_id: &dyn Fn(&str) -> bool,
) -> Incoming {
    let mut reader = Reader::new(fallback, known_id);
    reader.add(file, bytes, true);
    reader.finish()
}

impl<'a> Reader<'a> {
    pub fn new(fallback: Option<&'static Encoding>, known_id: &'a dyn Fn(&str) -> bool) -> Self {
        Reader {
            fallback,
            known_id,
            incoming: Incoming::default(),
            ids: HashMap::new(),
            all_whole: true,
        }
    }

    /// Adds the cards of one file. `alone`: the file is the whole import, so
    /// a file without cards is a problem with the file, not with a card.
    pub fn add(&mut self, file: &str, bytes: &[u8], alone: bool) {
        let parsed = parse_cards(bytes, self.fallback);
        let problem = |i: &Issue| Problem::new(file, Some(i.line), &i.field, i.message.clone());
        for (line, w) in &parsed.warnings {
            self.incoming.warnings.push(format!("{file}:{line}: {w}"));
        }
        if parsed.cards.is_empty() {
            let mut problems: Vec<Problem> = parsed.issues.iter().map(problem).collect();
            problems.push(Problem::new(
                file,
                None,
                "file",
                "no vCard in this file (expected BEGIN:VCARD ... END:VCARD)".into(),
            ));
            if alone {
                self.incoming.fatal.extend(problems);
            } else {
                self.incoming.rows += 1;
                self.incoming.problems.extend(problems);
            }
            return;
        }
        // This file's problems, reported in line order.
        let mut problems: Vec<Problem> = parsed.issues.iter().map(problem).collect();
        for card in &parsed.cards {
            let Some(mut m) = map_card(card, self.known_id) else {
                self.incoming.warnings.push(format!(
                    "{file}:{}: a contact group, not a person: left out",
                    card.begin
                ));
                continue;
            };
            self.incoming.rows += 1;
            for w in m.warnings.drain(..) {
                self.incoming
                    .warnings
                    .push(format!("{file}:{}: {w}", card.begin));
            }
            let id = &m.record.person.id;
            if !id.is_empty() {
                let here = format!("{file}:{}", m.uid_line);
                match self.ids.get(id.as_str()) {
                    Some(first) => m.issues.push(Issue {
                        line: m.uid_line,
                        field: "UID".into(),
                        message: format!("{id} is also the UID of the card at {first}"),
                    }),
                    None => {
                        self.ids.insert(id.to_string(), here);
                    }
                }
            }
            if m.issues.is_empty() {
                self.all_whole &= m.whole;
                m.record.path = file.to_string();
                self.incoming.records.push(m.record);
            } else {
                problems.extend(m.issues.iter().map(problem));
            }
        }
        problems.sort_by_key(|p| p.line);
        self.incoming.problems.extend(problems);
    }

    pub fn finish(mut self) -> Incoming {
        // Records without a line take the plan's full-replace path.
        if self.all_whole {
            for r in &mut self.incoming.records {
                r.line = None;
            }
        }
        // Merged cards add what is new and erase nothing.
        self.incoming.keep_stored = !self.all_whole;
        self.incoming
    }
}

/// A card turned into a record, and what is wrong with it.
struct Mapped {
    record: Record,
    whole: bool,
    uid_line: usize,
    issues: Vec<Issue>,
    warnings: Vec<String>,
}

/// A date in an `X-ALUMNI-*` value: `YYYY-MM-DD` (or `YYYYMMDD`), or empty.
fn alumni_date(s: &str) -> Result<Option<NaiveDate>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .map(Some)
        .map_err(|_| format!("not a date: {s:?} (use YYYY-MM-DD)"))
}

/// The name from FN and N: FN as written, except that an East Asian name
/// is family name first with a space (`田中 健太`) even when FN has it
/// given-first (`健太 田中`, as Google writes) or without the space.
fn name_of(fn_: &str, n: &[String]) -> String {
    let part = |i: usize| {
        n.get(i)
            .map(|s| s.replace(',', " ").trim().to_string())
            .unwrap_or_default()
    };
    let (family, given) = (part(0), part(1));
    let east = is_east_asian(&family) || is_east_asian(&given);
    let compact = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    if east && !family.is_empty() && !given.is_empty() {
        let f = compact(fn_);
        let family_first = compact(&format!("{family}{given}"));
        let reversed = f == compact(&format!("{given}{family}")) && f != family_first;
        let unspaced = !fn_.contains(char::is_whitespace) && f == family_first;
        if fn_.is_empty() || reversed || unspaced {
            return format!("{family} {given}");
        }
    }
    if !fn_.is_empty() {
        return fn_.to_string();
    }
    let order: &[usize] = if east { &[0, 1] } else { &[3, 1, 2, 0, 4] };
    order
        .iter()
        .map(|&i| part(i))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Adds `v` to `list` unless it is there already; says whether it was added.
fn push_new<L>(list: &mut L, v: impl Into<Text>, fold_case: bool) -> bool
where
    L: std::ops::Deref<Target = [Text]> + Extend<Text>,
{
    let v: Text = v.into();
    let known = list
        .iter()
        .any(|d| *d == v || (fold_case && d.eq_ignore_ascii_case(&v)));
    if !known && !v.is_empty() {
        list.extend([v]);
        return true;
    }
    false
}

/// One card as a person. `None` for a contact group (KIND:group).
fn map_card(card: &Card, known_id: &dyn Fn(&str) -> bool) -> Option<Mapped> {
    let mut issues = card.issues.clone();
    let mut warnings = Vec::new();
    let mut p = Person::default();
    let mut kept: Vec<Property> = Vec::new();
    let (mut fn_, mut n): (Option<&Property>, Option<&Property>) = (None, None);
    let (mut phonetic_last, mut phonetic_first) = (None, None);
    let (mut sort_string, mut irmc) = (None, None);
    let (mut nicknames, mut notes) = (Vec::new(), Vec::new());
    let (mut uid, mut uid_line) = (String::new(), card.begin);
    let (mut consent_given, mut closeness_given) = (false, false);
    let mut email_lines = Vec::new();
    let mut stint_lines = Vec::new();
    let count = |name: &str| card.props.iter().filter(|q| q.name == name).count();
    let (orgs, adrs, ns) = (count("ORG"), count("ADR"), count("N"));
    let (mut org_seen, mut adr_seen, mut title_seen) = (false, false, false);
    let mut bad = |q: &Property, message: String| {
        issues.push(Issue {
            line: q.line,
            field: q.name.clone(),
            message,
        })
    };
    for q in &card.props {
        match q.name.as_str() {
            "VERSION" | "PRODID" | "REV" => {}
            "KIND" | "X-ADDRESSBOOKSERVER-KIND" if q.text().eq_ignore_ascii_case("group") => {
                return None;
            }
            "KIND" if q.text().eq_ignore_ascii_case("individual") => {}
            "FN" if fn_.is_none() => fn_ = Some(q),
            "N" if n.is_none() => n = Some(q),
            "NICKNAME" | "X-NICKNAME" => nicknames.extend(q.list()),
            "X-ANDROID-CUSTOM"
                if q.components().first().map(String::as_str)
                    == Some("vnd.android.cursor.item/nickname") =>
            {
                nicknames.extend(q.components().into_iter().nth(1));
            }
            "EMAIL" => {
                if push_new(&mut p.emails, q.text(), true) {
                    email_lines.push(q.line);
                    if !is_plain(q, &q.text()) {
                        kept.push(q.clone());
                    }
                }
            }
            "TEL" => {
                let v = tel_of(q);
                if push_new(&mut p.phones, v.clone(), false) && !is_plain(q, &v) {
                    kept.push(q.clone());
                }
            }
            "URL" | "X-SOCIALPROFILE" => {
                let v = link_of(q);
                if push_new(&mut p.links, v.clone(), false) && !is_plain(q, &v) {
                    kept.push(q.clone());
                }
            }
            "ORG" if !org_seen => {
                org_seen = true;
                p.company = company_of(q).into();
                if orgs > 1 || !is_plain(q, &p.company) {
                    kept.push(q.clone());
                }
            }
            "ADR" if !adr_seen => {
                adr_seen = true;
                p.location = location_of(q).into();
                if adrs > 1 || !is_plain(q, &p.location) {
                    kept.push(q.clone());
                }
            }
            "TITLE" if !title_seen => {
                title_seen = true;
                p.title = q.text().into();
            }
            "NOTE" => notes.extend(Some(q.text()).filter(|t| !t.is_empty())),
            "CATEGORIES" => {
                for t in q.list() {
                    if t != GOOGLE_ALL_CONTACTS {
                        push_new(&mut p.tags, t, false);
                    }
                }
            }
            "UID" => {
                uid = q.text();
                uid_line = q.line;
            }
            X_PHONETIC_LAST => phonetic_last = Some(q.text()),
            X_PHONETIC_FIRST => phonetic_first = Some(q.text()),
            "SORT-STRING" => sort_string = Some(q.text()),
            "SOUND" if q.has_type("X-IRMC-N") => irmc = Some(q.components()),
            X_STINT => {
                stint_lines.push(q.line);
                let c = q.components();
                if c.len() > 4 {
                    bad(q, "expected joined;left;department;role".into());
                }
                let get = |i: usize| c.get(i).cloned().unwrap_or_default();
                let mut date = |i: usize| {
                    alumni_date(&get(i)).unwrap_or_else(|m| {
                        bad(q, m);
                        None
                    })
                };
                let (joined, left) = (date(0), date(1));
                p.stints.push(Stint {
                    joined,
                    left,
                    department: get(2).into(),
                    role: get(3).into(),
                });
            }
            X_CONSENT => {
                consent_given = true;
                let c = q.components();
                let word = c.first().cloned().unwrap_or_default();
                match Consent::parse(&word) {
                    Some(v) => p.consent = v,
                    None => bad(q, format!("{word:?} is not one of yes, no, unknown")),
                }
                match alumni_date(c.get(1).map_or("", String::as_str)) {
                    Ok(d) => p.consent_date = d,
                    Err(m) => bad(q, m),
                }
                p.consent_purpose = c.get(2).cloned().unwrap_or_default().into();
            }
            X_CLOSENESS => {
                closeness_given = true;
                let word = q.text();
                match Closeness::parse(&word) {
                    Some(v) => p.closeness = v,
                    None => bad(
                        q,
                        format!("{word:?} is not one of close, in_touch, distant, lost"),
                    ),
                }
            }
            X_LAST_CONTACTED => match alumni_date(&q.text()) {
                Ok(d) => p.last_contacted = d,
                Err(m) => bad(q, m),
            },
            other => {
                if other.starts_with("X-ALUMNI-") {
                    warnings.push(format!(
                        "{other} is not a property this version knows: kept as it is"
                    ));
                }
                kept.push(q.clone());
            }
        }
    }
    let n_parts = n.map(Property::components).unwrap_or_default();
    p.name = name_of(&fn_.map(Property::text).unwrap_or_default(), &n_parts).into();
    if let Some(n) = n
        && (ns > 1 || !n_is_plain(n, &p.name))
    {
        kept.push(n.clone());
    }
    let sort_as: Vec<String> = n
        .map(|n| {
            n.param_values("SORT-AS")
                .map(|s| s.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let at = |v: &[String], i: usize| v.get(i).cloned().unwrap_or_default();
    p.reading = if phonetic_last.is_some() || phonetic_first.is_some() {
        reading_from(
            &phonetic_last.unwrap_or_default(),
            &phonetic_first.unwrap_or_default(),
            &p.name,
        )
        .into()
    } else if sort_as.iter().any(|s| !s.is_empty()) {
        reading_from(&at(&sort_as, 0), &at(&sort_as, 1), &p.name).into()
    } else if let Some(c) = irmc.filter(|c| c.iter().any(|s| !s.is_empty())) {
        reading_from(&at(&c, 0), &at(&c, 1), &p.name).into()
    } else {
        sort_string.unwrap_or_default().into()
    };
    // Feature phones write readings in half-width katakana.
    if let std::borrow::Cow::Owned(full) = crate::text::full_width_kana(&p.reading) {
        p.reading = full.into();
    }
    p.nickname = {
        let mut unique = Vec::new();
        for nick in nicknames {
            push_new(&mut unique, nick, false);
        }
        unique.join(", ").into()
    };
    p.notes = notes.join("\n").into();
    p.extra = kept
        .into_iter()
        .map(|q| canonical(q).to_line().into())
        .collect();
    p.extra = layout(&p)
        .extra_lines()
        .into_iter()
        .map(Into::into)
        .collect();

    for (field, message) in p.problems() {
        let index = |prefix: &str| -> Option<usize> {
            field.strip_prefix(prefix)?.split(']').next()?.parse().ok()
        };
        let (line, name) = if field == "name" {
            (card.begin, "FN")
        } else if let Some(i) = index("emails[") {
            (email_lines.get(i).copied().unwrap_or(card.begin), "EMAIL")
        } else if let Some(i) = index("stints[") {
            (stint_lines.get(i).copied().unwrap_or(card.begin), X_STINT)
        } else {
            (card.begin, "line")
        };
        let message = if field == "name" {
            "the card has no name (neither FN nor N)".to_string()
        } else {
            message
        };
        issues.push(Issue {
            line,
            field: name.to_string(),
            message,
        });
    }

    let whole = consent_given && closeness_given;
    if !uid.is_empty() {
        if !valid_id(&uid) {
            if whole {
                warnings.push(format!(
                    "UID {uid:?} is not a usable id: matched by email or name instead"
                ));
            }
        } else if whole || known_id(&uid) {
            p.id = uid.into();
        }
    }
    Some(Mapped {
        record: Record {
            line: Some(card.begin),
            path: String::new(),
            person: p,
            consent_given,
            closeness_given,
        },
        whole,
        uid_line,
        issues,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comps(s: &str) -> Vec<String> {
        s.split(';').map(str::to_string).collect()
    }

    #[test]
    fn names_from_fn_and_n() {
        assert_eq!(name_of("健太 田中", &comps("田中;健太;;;")), "田中 健太");
        assert_eq!(name_of("田中健太", &comps("田中;健太;;;")), "田中 健太");
        assert_eq!(name_of("田中 健太", &comps("田中;健太;;;")), "田中 健太");
        assert_eq!(name_of("ケン", &comps("田中;健太;;;")), "ケン");
        assert_eq!(name_of("", &comps("田中;健太;;;")), "田中 健太");
        assert_eq!(
            name_of("Emma Johnson", &comps("Johnson;Emma;;;")),
            "Emma Johnson"
        );
        assert_eq!(
            name_of("", &comps("Smith;John;Q.;Dr.;Jr.")),
            "Dr. John Q. Smith Jr."
        );
        assert_eq!(name_of("", &[]), "");
    }

    #[test]
    fn alumni_dates() {
        assert_eq!(
            alumni_date("2025-01-10").unwrap(),
            NaiveDate::from_ymd_opt(2025, 1, 10)
        );
        assert_eq!(
            alumni_date("20250110").unwrap(),
            NaiveDate::from_ymd_opt(2025, 1, 10)
        );
        assert_eq!(alumni_date(" ").unwrap(), None);
        assert!(alumni_date("2025-13-01").is_err());
    }
}
