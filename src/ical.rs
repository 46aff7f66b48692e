//! iCalendar (RFC 5545): events as VEVENTs, their consenting invitees as
//! ATTENDEEs, so that a reunion can be dropped into any calendar.
//!
//! The writer is pure: the caller passes the clock (`DTSTAMP`), so the same
//! store always gives the same bytes in tests.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{Consent, Event, InvitationStatus, Person};

/// A calendar written from events, and the events left out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// The iCalendar object, CRLF line endings.
    pub text: String,
    /// Ids of the events skipped because they have no date yet.
    pub undated: Vec<String>,
}

/// When an event happens. Events carry only a date so far, so every VEVENT
/// is all-day. A start with a time belongs here as another variant, e.g.
/// `Zoned { start: NaiveDateTime, end: NaiveDateTime, tzid: String }`,
/// written by `write` as `DTSTART;TZID=Asia/Tokyo:20261205T180000` (plus a
/// VTIMEZONE component for that TZID, which RFC 5545 3.2.19 requires).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// `DTSTART;VALUE=DATE`, and `DTEND` the day after (DTEND is exclusive).
    AllDay(NaiveDate),
}

impl Timing {
    /// The timing of `event`, or `None` while its date is not fixed.
    pub fn of(event: &Event) -> Option<Timing> {
        event.date.map(Timing::AllDay)
    }

    fn write(&self, w: &mut Writer) {
        match self {
            Timing::AllDay(day) => {
                let next = day.succ_opt().unwrap_or(*day);
                w.line("DTSTART", &[("VALUE", "DATE")], &ical_date(*day));
                w.line("DTEND", &[("VALUE", "DATE")], &ical_date(next));
            }
        }
    }
}

fn ical_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The participation status of an invitee, from their reply.
pub fn partstat(status: InvitationStatus) -> &'static str {
    match status {
        InvitationStatus::Accepted | InvitationStatus::Attended => "ACCEPTED",
        InvitationStatus::Declined | InvitationStatus::NoShow => "DECLINED",
        InvitationStatus::Maybe => "TENTATIVE",
        InvitationStatus::Invited => "NEEDS-ACTION",
    }
}

/// The UID of an event: its id, which never changes, so that importing a
/// second export updates the calendar's copy instead of adding another.
pub fn uid(event: &Event) -> String {
    format!("{}@alumni", event.id)
}

/// Writes `events` as one VCALENDAR; undated events are skipped and listed.
/// `people` gives the invitees' names, emails and consent; `dtstamp` is the
/// time of the export.
pub fn write_calendar(events: &[&Event], people: &[Person], dtstamp: DateTime<Utc>) -> Calendar {
    let by_id: HashMap<&str, &Person> = people.iter().map(|p| (p.id.as_str(), p)).collect();
    let stamp = dtstamp.format("%Y%m%dT%H%M%SZ").to_string();
    let mut w = Writer::default();
    w.line("BEGIN", &[], "VCALENDAR");
    w.line("VERSION", &[], "2.0");
    let prodid = concat!("-//alumni//alumni ", env!("CARGO_PKG_VERSION"), "//EN");
    w.line("PRODID", &[], &escape_text(prodid));
    w.line("CALSCALE", &[], "GREGORIAN");
    let mut undated = Vec::new();
    for event in events {
        match Timing::of(event) {
            Some(timing) => write_event(&mut w, event, &timing, &by_id, &stamp),
            None => undated.push(event.id.clone()),
        }
    }
    w.line("END", &[], "VCALENDAR");
    Calendar {
        text: w.out,
        undated,
    }
}

fn write_event(
    w: &mut Writer,
    event: &Event,
    timing: &Timing,
    people: &HashMap<&str, &Person>,
    stamp: &str,
) {
    w.line("BEGIN", &[], "VEVENT");
    w.line("UID", &[], &escape_text(&uid(event)));
    w.line("DTSTAMP", &[], stamp);
    timing.write(w);
    w.line("SUMMARY", &[], &escape_text(&event.name));
    if !event.venue.trim().is_empty() {
        w.line("LOCATION", &[], &escape_text(&event.venue));
    }
    let description = description(event);
    if !description.is_empty() {
        w.line("DESCRIPTION", &[], &escape_text(&description));
    }
    for inv in &event.invitations {
        // Someone who said no to contact is never handed to another program.
        let Some(p) = people.get(inv.person.as_str()) else {
            continue;
        };
        if p.consent == Consent::No {
            continue;
        }
        let Some(email) = p.emails.iter().find(|e| !e.trim().is_empty()) else {
            continue;
        };
        let cn = param_value(&p.name);
        let params = [
            ("CN", cn.as_str()),
            ("PARTSTAT", partstat(inv.status)),
            ("RSVP", "TRUE"),
        ];
        w.line("ATTENDEE", &params, &mailto(email));
    }
    w.line("END", &[], "VEVENT");
}

/// The notes, then the parts of the event (一次会, 二次会) on a line of their own.
fn description(event: &Event) -> String {
    let notes = event.notes.trim_end();
    let parts: Vec<&str> = event
        .parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    match (notes.is_empty(), parts.is_empty()) {
        (_, true) => notes.to_string(),
        (true, false) => format!("Parts: {}", parts.join(", ")),
        (false, false) => format!("{notes}\n\nParts: {}", parts.join(", ")),
    }
}

/// Accumulates folded content lines.
#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    /// One content line: `NAME;P=V;...:VALUE`. Parameter values and the value
    /// must already be encoded for their type (`param_value`, `escape_text`).
    fn line(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::from(name);
        for (k, v) in params {
            line.push(';');
            line.push_str(k);
            line.push('=');
            line.push_str(v);
        }
        line.push(':');
        line.push_str(value);
        fold(&line, &mut self.out);
    }
}

pub use crate::text::fold_content_line as fold;

/// Characters no iCalendar value may hold (RFC 5545 3.3.11 and 3.1: no
/// control characters but HTAB). They are dropped rather than shown: a
/// calendar file is data, and ESC or NUL in it could only do harm.
fn forbidden(c: char) -> bool {
    c.is_control() && c != '\t'
}

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped,
/// line breaks (LF, CRLF or CR) as `\n`, control characters dropped.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            c if forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A parameter value (RFC 5545 3.2): quoted when it holds `:`, `;` or `,`;
/// `^`, newline and `"` written with RFC 6868's caret escapes (a parameter
/// value has no other way to hold them); control characters dropped.
pub fn param_value(s: &str) -> String {
    let mut v = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '^' => v.push_str("^^"),
            '"' => v.push_str("^'"),
            '\n' => v.push_str("^n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                v.push_str("^n");
            }
            c if forbidden(c) => {}
            c => v.push(c),
        }
    }
    if v.contains([':', ';', ',']) {
        format!("\"{v}\"")
    } else {
        v
    }
}

/// A `mailto:` URI (RFC 6068) for an email address: characters a URI cannot
/// hold, or that mean something in a mailto (`%`, `?`, `#`, `&`...), are
/// percent-encoded as UTF-8.
pub fn mailto(email: &str) -> String {
    let mut out = String::from("mailto:");
    for b in email.trim().bytes() {
        let plain = b.is_ascii_alphanumeric() || b"-._~!$'*+=^`{|}/@".contains(&b);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The content lines of an iCalendar text, unfolded (RFC 5545 3.1: a CRLF
/// followed by a space or tab is removed). For tests and round trips.
pub fn unfold(text: &str) -> Vec<String> {
    let joined = text.replace("\r\n ", "").replace("\r\n\t", "");
    joined
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::domain::Invitation;

    fn stamp() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
    }

    fn person(id: &str, name: &str, email: &str, consent: Consent) -> Person {
        Person {
            id: id.into(),
            name: name.into(),
            emails: [email]
                .into_iter()
                .filter(|e| !e.is_empty())
                .map(Into::into)
                .collect(),
            consent,
            ..Person::default()
        }
    }

    fn invite(person: &str, status: InvitationStatus) -> Invitation {
        Invitation {
            person: person.into(),
            status,
            ..Invitation::default()
        }
    }

    fn reunion() -> Event {
        Event {
            id: "e-2".into(),
            name: "20th-anniversary reunion".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 5),
            venue: "Shibuya, Tokyo".into(),
            notes: "Bring photos; and name tags\\badges\nsecond line".into(),
            parts: vec!["一次会".into(), "二次会".into()],
            invitations: vec![
                invite("p-1", InvitationStatus::Accepted),
                invite("p-2", InvitationStatus::Maybe),
                invite("p-3", InvitationStatus::Declined),
                invite("p-4", InvitationStatus::Invited),
                invite("p-5", InvitationStatus::Attended),
            ],
            ..Event::default()
        }
    }

    fn people() -> Vec<Person> {
        vec![
            person("p-1", "田中 健太", "ken@example.jp", Consent::Yes),
            person("p-2", "Smith, John", "john@example.com", Consent::Unknown),
            person("p-3", "Emma Johnson", "emma@example.com", Consent::No),
            person("p-4", "佐藤 美咲", "", Consent::Yes),
            person(
                "p-5",
                "Liam \"Li\" O'Brien",
                "liam@example.com",
                Consent::Yes,
            ),
        ]
    }

    fn lines(events: &[&Event], people: &[Person]) -> Vec<String> {
        unfold(&write_calendar(events, people, stamp()).text)
    }

    #[test]
    fn a_whole_calendar() {
        let e = reunion();
        let got = lines(&[&e], &people());
        let want = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            &format!("PRODID:-//alumni//alumni {}//EN", env!("CARGO_PKG_VERSION")),
            "CALSCALE:GREGORIAN",
            "BEGIN:VEVENT",
            "UID:e-2@alumni",
            "DTSTAMP:20260102T030405Z",
            "DTSTART;VALUE=DATE:20261205",
            "DTEND;VALUE=DATE:20261206",
            "SUMMARY:20th-anniversary reunion",
            "LOCATION:Shibuya\\, Tokyo",
            "DESCRIPTION:Bring photos\\; and name tags\\\\badges\\nsecond line\\n\\nParts: 一次会\\, 二次会",
            "ATTENDEE;CN=田中 健太;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:ken@example.jp",
            "ATTENDEE;CN=\"Smith, John\";PARTSTAT=TENTATIVE;RSVP=TRUE:mailto:john@example.com",
            "ATTENDEE;CN=Liam ^'Li^' O'Brien;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:liam@example.com",
            "END:VEVENT",
            "END:VCALENDAR",
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn crlf_everywhere_and_nothing_else() {
        let text = write_calendar(&[&reunion()], &people(), stamp()).text;
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' {
                assert_eq!(bytes[i - 1], b'\r', "bare LF at {i}");
            }
            if b == b'\r' {
                assert_eq!(bytes.get(i + 1), Some(&b'\n'), "bare CR at {i}");
            }
        }
    }

    #[test]
    fn partstat_from_every_reply() {
        use InvitationStatus::*;
        let want = [
            (Invited, "NEEDS-ACTION"),
            (Accepted, "ACCEPTED"),
            (Declined, "DECLINED"),
            (Maybe, "TENTATIVE"),
            (Attended, "ACCEPTED"),
            (NoShow, "DECLINED"),
        ];
        assert_eq!(want.len(), InvitationStatus::ALL.len());
        for (status, p) in want {
            assert_eq!(partstat(status), p, "{status:?}");
            let mut e = reunion();
            e.invitations = vec![invite("p-1", status)];
            let attendees: Vec<String> = lines(&[&e], &people())
                .into_iter()
                .filter(|l| l.starts_with("ATTENDEE"))
                .collect();
            assert_eq!(attendees.len(), 1);
            assert!(
                attendees[0].contains(&format!(";PARTSTAT={p};")),
                "{attendees:?}"
            );
        }
    }

    #[test]
    fn consent_no_and_no_email_are_never_attendees() {
        let mut e = reunion();
        e.invitations = vec![
            invite("p-3", InvitationStatus::Accepted),
            invite("p-4", InvitationStatus::Accepted),
            invite("p-999", InvitationStatus::Accepted),
        ];
        let text = lines(&[&e], &people()).join("\n");
        assert!(!text.contains("ATTENDEE"), "{text}");
        assert!(!text.contains("emma"), "{text}");
        assert!(!text.contains("Emma"), "{text}");
        // Consent unknown is allowed (as for invite lists), no is not.
        let mut p = people();
        p[2].consent = Consent::Unknown;
        let attendees: Vec<String> = lines(&[&e], &p)
            .into_iter()
            .filter(|l| l.starts_with("ATTENDEE"))
            .collect();
        assert_eq!(
            attendees,
            ["ATTENDEE;CN=Emma Johnson;PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:emma@example.com"]
        );
    }

    #[test]
    fn uids_are_stable_and_undated_events_skipped() {
        let e = reunion();
        let undated = Event {
            id: "e-7".into(),
            name: "Someday".into(),
            ..Event::default()
        };
        let a = write_calendar(&[&e, &undated], &people(), stamp());
        let later = Utc.with_ymd_and_hms(2027, 5, 6, 7, 8, 9).unwrap();
        let b = write_calendar(&[&e, &undated], &people(), later);
        let uids = |t: &str| -> Vec<String> {
            unfold(t)
                .into_iter()
                .filter(|l| l.starts_with("UID:"))
                .collect()
        };
        assert_eq!(uids(&a.text), ["UID:e-2@alumni"]);
        assert_eq!(uids(&a.text), uids(&b.text));
        assert_eq!(a.undated, ["e-7"]);
        assert!(!a.text.contains("Someday"));
        assert!(b.text.contains("DTSTAMP:20270506T070809Z\r\n"));
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        // 3-byte kana: the first line holds "SUMMARY:" and 22 of them
        // (8 + 3*22 = 74; a 23rd would make 77), a continuation 24 (1 + 72).
        let mut e = reunion();
        e.name = "あ".repeat(60);
        e.notes = "x".repeat(200) + &"🎉".repeat(40) + "é".repeat(50).as_str();
        let text = write_calendar(&[&e], &people(), stamp()).text;
        let physical: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
        for l in &physical {
            assert!(l.len() <= 75, "{} octets: {l:?}", l.len());
        }
        let summary: Vec<&&str> = physical
            .iter()
            .skip_while(|l| !l.starts_with("SUMMARY:"))
            .take(3)
            .collect();
        assert_eq!(summary[0].len(), 8 + 3 * 22);
        assert!(summary[1].starts_with(" あ"));
        assert_eq!(summary[1].len(), 1 + 3 * 24);
        // Unfolding gives the values back whole.
        let lines = unfold(&text);
        assert!(lines.contains(&format!("SUMMARY:{}", "あ".repeat(60))));
        let want = format!("DESCRIPTION:{}{}", "x".repeat(200), "🎉".repeat(40));
        assert!(lines.iter().any(|l| l.starts_with(&want)), "{lines:?}");
        // Folding every line fits, whatever its octet widths.
        for s in [
            "a".repeat(75),
            "a".repeat(76),
            "aé".repeat(60),
            "🎉".repeat(19),
        ] {
            let mut out = String::new();
            fold(&s, &mut out);
            assert!(out.split("\r\n").all(|l| l.len() <= 75), "{out:?}");
            assert_eq!(unfold(&out), std::slice::from_ref(&s));
        }
        let mut exact = String::new();
        fold(&"a".repeat(75), &mut exact);
        assert_eq!(exact, format!("{}\r\n", "a".repeat(75)));
    }

    #[test]
    fn escaping_text_and_parameters() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(
            escape_text("one\r\ntwo\rthree\nfour"),
            "one\\ntwo\\nthree\\nfour"
        );
        assert_eq!(escape_text("ok\x1b[31m\0\x07\u{9b}"), "ok[31m");
        assert_eq!(
            escape_text("tab\there: \"quoted\""),
            "tab\there: \"quoted\""
        );
        assert_eq!(param_value("田中 健太"), "田中 健太");
        assert_eq!(
            param_value("Dr. Who: Time; Lord, Jr."),
            "\"Dr. Who: Time; Lord, Jr.\""
        );
        assert_eq!(param_value("a\"b^c\nd\x1be"), "a^'b^^c^nde");
        assert_eq!(mailto("ken@example.jp"), "mailto:ken@example.jp");
        assert_eq!(mailto("a%b?c#d&e@x.jp"), "mailto:a%25b%3Fc%23d%26e@x.jp");
        assert_eq!(
            mailto("けん@例.jp"),
            "mailto:%E3%81%91%E3%82%93@%E4%BE%8B.jp"
        );
    }

    #[test]
    fn hostile_names_cannot_break_lines_or_parameters() {
        let mut p = people();
        p[0].name = "Evil\r\nATTENDEE:mailto:x@evil.example;\x1b]0;pwn\x07".into();
        let mut e = reunion();
        e.name = "Party\r\nEND:VEVENT".into();
        let lines = lines(&[&e], &p);
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("ATTENDEE")).count(),
            3
        );
        assert_eq!(lines.iter().filter(|l| *l == "END:VEVENT").count(), 1);
        assert!(lines.contains(&"SUMMARY:Party\\nEND:VEVENT".to_string()));
        assert!(lines.contains(
            &"ATTENDEE;CN=\"Evil^nATTENDEE:mailto:x@evil.example;]0;pwn\";PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:ken@example.jp"
                .to_string()
        ));
        let text = write_calendar(&[&e], &p, stamp()).text;
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\r' && c != '\n')
        );
    }

    #[test]
    fn no_events_is_an_empty_calendar() {
        assert_eq!(
            lines(&[], &[]),
            [
                "BEGIN:VCALENDAR".to_string(),
                "VERSION:2.0".into(),
                format!("PRODID:-//alumni//alumni {}//EN", env!("CARGO_PKG_VERSION")),
                "CALSCALE:GREGORIAN".into(),
                "END:VCALENDAR".into(),
            ]
        );
    }
}
