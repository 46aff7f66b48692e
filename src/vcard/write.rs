//! Writing vCards (see mod.rs): 4.0 by default, 3.0 for older readers
//! (iOS and Android import 3.0 best). CRLF line ends, lines folded at 75
//! octets without splitting a UTF-8 character, values escaped.
//!
//! Japanese names sort by their reading on phones and in mail clients:
//! `X-PHONETIC-LAST-NAME` / `X-PHONETIC-FIRST-NAME` (iOS, Android, Google)
//! in both versions, `N;SORT-AS=` (RFC 6350) in 4.0, `SORT-STRING`
//! (RFC 2426) in 3.0.

use std::io::{self, Write};

use chrono::NaiveDate;

use super::layout::{Layout, for_v3, layout, n_parts, plain, reading_parts};
use super::{
    Param, Property, Version, X_CLOSENESS, X_CONSENT, X_LAST_CONTACTED, X_PHONETIC_FIRST,
    X_PHONETIC_LAST, X_STINT, escape,
};
use crate::domain::Person;

/// The longest physical line in octets, CRLF not counted (RFC 6350 3.2).
pub const FOLD_AT: usize = 75;

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

pub use crate::text::fold_content_line as fold;

/// One person as a card. The person's id is the card's UID.
pub fn card(p: &Person, version: Version) -> String {
    let lay = layout(p);
    let mut lines: Vec<String> = Vec::with_capacity(24);
    let mut put = |prop: Property| {
        let prop = if version == Version::V30 {
            for_v3(prop)
        } else {
            prop
        };
        lines.push(prop.to_line());
    };
    put(Property::new("VERSION", version.as_str().into()));
    put(Property::new(
        "PRODID",
        format!("-//alumni//alumni {}//EN", env!("CARGO_PKG_VERSION")),
    ));
    // Plain `UID:` (not 4.0's `UID;VALUE=text:`): vdirsyncer finds a UID by
    // its line starting with `UID:`.
    put(Property::new("UID", escape(&p.id)));
    put(Property::new("FN", escape(&p.name)));
    put(n_line(p, &lay, version));
    let (family, given) = reading_parts(&p.reading, &p.name);
    if !family.is_empty() {
        put(Property::new(X_PHONETIC_LAST, escape(&family)));
    }
    if !given.is_empty() {
        put(Property::new(X_PHONETIC_FIRST, escape(&given)));
    }
    if version == Version::V30 && !p.reading.is_empty() {
        put(Property::new("SORT-STRING", escape(&p.reading)));
    }
    if !p.nickname.is_empty() {
        put(Property::new("NICKNAME", escape(&p.nickname)));
    }
    for (values, shadows, name) in [
        (&p.emails[..], &lay.emails, "EMAIL"),
        (&p.phones[..], &lay.phones, "TEL"),
        (&p.links[..], &lay.links, "URL"),
    ] {
        for (v, shadow) in values.iter().zip(shadows) {
            put(shadow.clone().unwrap_or_else(|| plain(name, v)));
        }
    }
    match &lay.org {
        Some(org) => put(org.clone()),
        None if !p.company.is_empty() => put(plain("ORG", &p.company)),
        None => {}
    }
    if !p.title.is_empty() {
        put(Property::new("TITLE", escape(&p.title)));
    }
    match &lay.adr {
        Some(adr) => put(adr.clone()),
        None if !p.location.is_empty() => put(plain("ADR", &p.location)),
        None => {}
    }
    if !p.notes.is_empty() {
        put(Property::new("NOTE", escape(&p.notes)));
    }
    if !p.tags.is_empty() {
        let tags: Vec<String> = p.tags.iter().map(|t| escape(t)).collect();
        put(Property::new("CATEGORIES", tags.join(",")));
    }
    for s in &p.stints {
        let parts = [
            iso(s.joined),
            iso(s.left),
            escape(&s.department),
            escape(&s.role),
        ];
        put(Property::new(X_STINT, parts.join(";")));
    }
    let mut consent = match p.consent_date {
        Some(_) => format!("{};{}", p.consent.as_str(), iso(p.consent_date)),
        None => p.consent.as_str().to_string(),
    };
    if !p.consent_purpose.is_empty() {
        if p.consent_date.is_none() {
            consent.push(';');
        }
        consent = format!("{consent};{}", escape(&p.consent_purpose));
    }
    put(Property::new(X_CONSENT, consent));
    put(Property::new(X_CLOSENESS, p.closeness.as_str().into()));
    if p.last_contacted.is_some() {
        put(Property::new(X_LAST_CONTACTED, iso(p.last_contacted)));
    }
    for other in &lay.others {
        put(other.clone());
    }
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 4).sum::<usize>() + 32);
    out.push_str("BEGIN:VCARD\r\n");
    for l in &lines {
        fold(l, &mut out);
    }
    out.push_str("END:VCARD\r\n");
    out
}

/// `N`: the kept one while it still fits the name, else family;given from
/// the name; in 4.0 with the reading as `SORT-AS`.
fn n_line(p: &Person, lay: &Layout, version: Version) -> Property {
    let mut n = lay.n.clone().unwrap_or_else(|| {
        let (family, given) = n_parts(&p.name);
        Property::new("N", format!("{};{};;;", escape(&family), escape(&given)))
    });
    n.params.retain(|q| q.name != "SORT-AS");
    if version == Version::V40 && !p.reading.is_empty() {
        let (family, given) = reading_parts(&p.reading, &p.name);
        let sort_as = if given.is_empty() {
            family
        } else {
            format!("{family},{given}")
        };
        n.params.push(Param {
            name: "SORT-AS".into(),
            values: vec![sort_as],
        });
    }
    n.raw = None;
    n
}

/// People as cards, one after the other.
pub fn write_cards(people: &[Person], version: Version, out: &mut dyn Write) -> io::Result<()> {
    for p in people {
        out.write_all(card(p, version).as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_at_75_octets_between_characters() {
        let line = format!("NOTE:{}", "健".repeat(60));
        let mut out = String::new();
        fold(&line, &mut out);
        let physical: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert!(physical.len() > 2);
        for l in &physical {
            assert!(l.len() <= FOLD_AT, "{} octets: {l}", l.len());
        }
        assert!(physical[1..].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = physical
            .iter()
            .enumerate()
            .map(|(i, l)| if i == 0 { *l } else { &l[1..] })
            .collect();
        assert_eq!(unfolded, line);
    }

    #[test]
    fn japanese_names_carry_their_reading() {
        let p = Person {
            id: "p-1".into(),
            name: "田中 健太".into(),
            reading: "たなか けんた".into(),
            ..Default::default()
        };
        let v4 = card(&p, Version::V40);
        assert!(
            v4.contains("\r\nN;SORT-AS=\"たなか,けんた\":田中;健太;;;\r\n"),
            "{v4}"
        );
        assert!(v4.contains("\r\nX-PHONETIC-LAST-NAME:たなか\r\nX-PHONETIC-FIRST-NAME:けんた\r\n"));
        let v3 = card(&p, Version::V30);
        assert!(v3.contains("\r\nN:田中;健太;;;\r\n"), "{v3}");
        assert!(v3.contains("\r\nSORT-STRING:たなか けんた\r\n"));
        assert!(v3.starts_with("BEGIN:VCARD\r\nVERSION:3.0\r\n"));
    }
}
