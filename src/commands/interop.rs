//! Formats other programs read: events for calendars (iCalendar), people for
//! mail clients' address completion (mutt, neomutt, aerc).

use std::io::Write;
use std::path::Path;

use anyhow::{Result, bail};

use crate::domain::{Consent, Event, Person};
use crate::ical;
use crate::search::{Index, Query, search};
use crate::store::{Store, StoreError};
use crate::text::sanitize;

/// `alumni export --format ics [--event ID] [-o FILE]`: one event, or every
/// event with a date; the undated ones are named on stderr.
pub fn export_ics(store: &Store, event_id: Option<&str>, output: Option<&Path>) -> Result<()> {
    let events = store.events()?;
    let chosen: Vec<&Event> = match event_id {
        Some(id) => {
            let Some(e) = events.iter().find(|e| e.id == id) else {
                return Err(StoreError::UnknownId {
                    kind: "event",
                    id: id.to_string(),
                }
                .into());
            };
            if e.date.is_none() {
                bail!(
                    "event {} ({}) has no date yet: a calendar needs one",
                    sanitize(&e.id),
                    sanitize(&e.name)
                );
            }
            vec![e]
        }
        None => events.iter().collect(),
    };
    let people = store.people()?;
    let cal = ical::write_calendar(&chosen, &people, chrono::Utc::now());
    // Opened only now: an unknown event must not leave an empty file behind.
    let mut out = super::output(output)?;
    out.write_all(cal.text.as_bytes())?;
    out.flush()?;
    if !cal.undated.is_empty() {
        let ids: Vec<String> = cal
            .undated
            .iter()
            .map(|id| sanitize(id).into_owned())
            .collect();
        let n = ids.len();
        eprintln!(
            "alumni: skipped {n} event{} without a date: {}",
            if n == 1 { "" } else { "s" },
            ids.join(", ")
        );
    }
    Ok(())
}

/// One field of a query line: tabs and line breaks become spaces (they would
/// split the line or the columns), other unsafe characters are escaped.
fn field(s: &str) -> String {
    let flat: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => ' ',
            c => c,
        })
        .collect();
    sanitize(flat.trim()).into_owned()
}

/// The address-book query format of mutt's `query_command` and aerc's
/// `address-book-cmd`: a first line of text (mutt shows it; aerc skips it, as
/// it is no address), then `email<TAB>name<TAB>info`, one line per email of
/// each match, best first. Only people who did not refuse contact are searched.
pub fn mutt_query(people: Vec<Person>, query: &str, limit: usize) -> String {
    let people: Vec<Person> = people
        .into_iter()
        .filter(|p| p.consent != Consent::No && !p.emails.is_empty())
        .collect();
    let hits = search(&Query::parse(query), &Index::build(&people), &people, limit);
    let mut lines = Vec::new();
    for hit in &hits {
        let p = &people[hit.index];
        let info: Vec<String> = [p.nickname.as_str(), &p.company]
            .into_iter()
            .map(field)
            .filter(|s| !s.is_empty())
            .collect();
        for email in &p.emails {
            let email = field(email);
            if !email.is_empty() {
                lines.push(format!("{email}\t{}\t{}", field(&p.name), info.join(", ")));
            }
        }
    }
    let n = hits.len();
    let count = match n {
        0 => "no matches".to_string(),
        1 => "1 match".to_string(),
        _ => format!("{n} matches"),
    };
    let mut out = format!("alumni: {count} for \"{}\"\n", field(query));
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str, emails: &[&str], consent: Consent) -> Person {
        Person {
            id: format!("p-{name}").into(),
            name: name.into(),
            emails: emails.iter().map(|&e| e.into()).collect(),
            consent,
            ..Person::default()
        }
    }

    #[test]
    fn fields_cannot_split_lines_or_columns() {
        assert_eq!(field("a\tb\nc\r\nd"), "a b c  d");
        assert_eq!(field("x\x1b[2Jy"), "x\\u{1b}[2Jy");
        assert_eq!(field("  田中\u{2028}健太 "), "田中 健太");
    }

    #[test]
    fn a_line_per_email_of_consenting_people() {
        let mut ken = person(
            "Ken Tanaka",
            &["ken@example.jp", "k@work.example"],
            Consent::Yes,
        );
        ken.nickname = "ケン".into();
        ken.company = "Acme".into();
        let people = vec![
            ken,
            person("Kenji No", &["kenji@example.jp"], Consent::No),
            person("Kenta Unknown", &["kenta@example.jp"], Consent::Unknown),
            person("Keno Nomail", &[], Consent::Yes),
        ];
        let out = mutt_query(people, "ken", 50);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "alumni: 2 matches for \"ken\"");
        assert_eq!(
            lines[1..],
            [
                "ken@example.jp\tKen Tanaka\tケン, Acme",
                "k@work.example\tKen Tanaka\tケン, Acme",
                "kenta@example.jp\tKenta Unknown\t",
            ]
        );
        assert_eq!(
            mutt_query(Vec::new(), "zzz", 50),
            "alumni: no matches for \"zzz\"\n"
        );
    }
}
