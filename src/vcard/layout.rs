//! A person's kept vCard lines (`Person::extra`) and the fields they stand
//! in for.
//!
//! A phone's `item1.TEL;TYPE=CELL:090-1234-5678` says more than the phone
//! number the person keeps: import keeps such a line (a *shadow*) next to
//! the field, and export writes it back instead of a plain `TEL:` for as
//! long as the field still holds that value. A shadow whose value is gone
//! (the number was deleted or changed) is dropped, so an edit always wins.
//!
//! Shadows: the first `N`, `ORG` and `ADR` (name, company, location), every
//! `EMAIL`, `TEL`, `URL` and `X-SOCIALPROFILE`. A line that says no more
//! than the plain form (`EMAIL:ken@example.jp`) is not kept.
//!
//! Import and export use the same `layout`, and import stores the lines in
//! the order export writes them, so export -> import is a fixed point.

use super::parse::parse_line;
use super::{Param, Property, escape, is_east_asian, is_owned};
use crate::domain::Person;

/// Which lines to write, and where.
#[derive(Debug, Default)]
pub struct Layout {
    pub n: Option<Property>,
    /// Per email (phone, link) of the person: the line to write for it.
    pub emails: Vec<Option<Property>>,
    pub phones: Vec<Option<Property>>,
    pub links: Vec<Option<Property>>,
    pub org: Option<Property>,
    pub adr: Option<Property>,
    /// Lines with no field of their own, in their stored order.
    pub others: Vec<Property>,
}

impl Layout {
    /// The kept lines in the order export writes them.
    pub fn extra_lines(&self) -> Vec<String> {
        let fields = self.n.iter().chain(self.emails.iter().flatten());
        let fields = fields
            .chain(self.phones.iter().flatten())
            .chain(self.links.iter().flatten())
            .chain(&self.org)
            .chain(&self.adr);
        fields.chain(&self.others).map(Property::to_line).collect()
    }
}

/// Sorts a person's kept lines into shadows of fields and the rest;
/// unreadable lines, stale shadows and lines a field owns are left out.
pub fn layout(p: &Person) -> Layout {
    let mut out = Layout {
        emails: vec![None; p.emails.len()],
        phones: vec![None; p.phones.len()],
        links: vec![None; p.links.len()],
        ..Default::default()
    };
    let (mut seen_n, mut seen_org, mut seen_adr) = (false, false, false);
    for prop in p.extra.iter().filter_map(|l| parse_line(l)) {
        if is_owned(&prop.name) {
            continue;
        }
        match prop.name.as_str() {
            "N" if !seen_n => {
                seen_n = true;
                if n_fits(&prop, &p.name) {
                    out.n = Some(prop);
                }
            }
            "ORG" if !seen_org => {
                seen_org = true;
                if company_of(&prop) == p.company {
                    out.org = Some(prop);
                }
            }
            "ADR" if !seen_adr => {
                seen_adr = true;
                if location_of(&prop) == p.location {
                    out.adr = Some(prop);
                }
            }
            "EMAIL" => {
                let v = prop.text();
                place(&mut out.emails, &p.emails, prop, |e| {
                    e.eq_ignore_ascii_case(&v)
                });
            }
            "TEL" => {
                let v = tel_of(&prop);
                place(&mut out.phones, &p.phones, prop, |t| *t == v);
            }
            "URL" | "X-SOCIALPROFILE" => {
                let v = link_of(&prop);
                place(&mut out.links, &p.links, prop, |l| *l == v);
            }
            _ => out.others.push(prop),
        }
    }
    out
}

/// Puts `prop` at the first value it matches that has no line yet.
fn place(
    slots: &mut [Option<Property>],
    values: &[crate::domain::Text],
    prop: Property,
    matches: impl Fn(&crate::domain::Text) -> bool,
) {
    if let Some(i) = (0..values.len()).find(|&i| slots[i].is_none() && matches(&values[i])) {
        slots[i] = Some(prop);
    }
}

/// Whether an `N` still describes `name`: each of its family, given and
/// additional names appears in it (a renamed person gets a fresh `N`).
fn n_fits(n: &Property, name: &str) -> bool {
    let c = n.components();
    let words: Vec<&str> = c
        .iter()
        .take(3)
        .flat_map(|s| s.split([',', ' ', '\u{3000}']))
        .filter(|w| !w.is_empty())
        .collect();
    !words.is_empty() && words.iter().all(|w| name.contains(w))
}

/// The phone number of a `TEL` (`tel:` URIs as 4.0 and Android write them).
pub fn tel_of(p: &Property) -> String {
    let t = p.text();
    match t.get(..4) {
        Some(s) if s.eq_ignore_ascii_case("tel:") => t[4..].trim().to_string(),
        _ => t,
    }
}

/// The link of a `URL` or `X-SOCIALPROFILE`. iOS writes profiles as
/// `X-SOCIALPROFILE;type=twitter;x-user=ken:x-apple:ken`; those become a web
/// address where the service is known.
pub fn link_of(p: &Property) -> String {
    let v = p.text();
    if p.name != "X-SOCIALPROFILE" || v.contains("://") {
        return v;
    }
    let user = p.param_values("X-USER").next().filter(|u| !u.is_empty());
    let service = p.param_values("TYPE").next().map(str::to_ascii_lowercase);
    let base = match service.as_deref() {
        Some("twitter" | "x") => "https://twitter.com/",
        Some("facebook") => "https://www.facebook.com/",
        Some("linkedin") => "https://www.linkedin.com/in/",
        Some("instagram") => "https://www.instagram.com/",
        Some("github") => "https://github.com/",
        Some("flickr") => "https://www.flickr.com/photos/",
        _ => return v,
    };
    match user {
        Some(u) => format!("{base}{u}"),
        None => v,
    }
}

/// The company of an `ORG`: its first component (the rest are units).
pub fn company_of(p: &Property) -> String {
    p.components().into_iter().next().unwrap_or_default()
}

/// The location of an `ADR`: its non-empty components, in vCard order
/// joined by `, ` (`1-2-3 Shibuya, Tokyo, Japan`), or for a Japanese
/// address from the country down, joined by spaces (`日本 東京都 渋谷区`).
pub fn location_of(p: &Property) -> String {
    let parts: Vec<String> = p
        .components()
        .into_iter()
        .filter(|c| !c.is_empty())
        .collect();
    if parts.iter().any(|c| is_east_asian(c)) {
        parts.into_iter().rev().collect::<Vec<_>>().join(" ")
    } else {
        parts.join(", ")
    }
}

/// The family and given name of `name` as export writes them in `N`:
/// East Asian names family first (`田中 健太`), others family last.
pub fn n_parts(name: &str) -> (String, String) {
    let name = name.trim();
    let split = if is_east_asian(name) {
        name.split_once(char::is_whitespace)
            .map(|(f, g)| (f.to_string(), g.trim().to_string()))
    } else {
        name.rsplit_once(char::is_whitespace)
            .map(|(g, f)| (f.to_string(), g.trim().to_string()))
    };
    split.unwrap_or_else(|| (name.to_string(), String::new()))
}

/// The family and given parts of a reading, split the way the name is:
/// `たなか けんた` for `田中 健太` is (たなか, けんた); `エマ ジョンソン` for
/// `Emma Johnson` is (ジョンソン, エマ).
pub fn reading_parts(reading: &str, name: &str) -> (String, String) {
    let reading = reading.trim();
    let split = if is_east_asian(name) {
        reading.split_once(' ')
    } else {
        reading.rsplit_once(' ').map(|(g, f)| (f, g))
    };
    match split {
        Some((f, g)) => (f.to_string(), g.to_string()),
        None => (reading.to_string(), String::new()),
    }
}

/// The reading from its family and given parts (see `reading_parts`).
pub fn reading_from(family: &str, given: &str, name: &str) -> String {
    let (first, second) = if is_east_asian(name) {
        (family.trim(), given.trim())
    } else {
        (given.trim(), family.trim())
    };
    match (first.is_empty(), second.is_empty()) {
        (true, _) => second.to_string(),
        (_, true) => first.to_string(),
        _ => format!("{first} {second}"),
    }
}

/// Whether an `N` says no more than the one export writes for `name`
/// (a `SORT-AS` is the reading, which has a field of its own).
pub fn n_is_plain(n: &Property, name: &str) -> bool {
    let (family, given) = n_parts(name);
    let mut comps = n.components();
    while comps.last().is_some_and(String::is_empty) {
        comps.pop();
    }
    let mut want = vec![family, given];
    while want.last().is_some_and(String::is_empty) {
        want.pop();
    }
    n.group.is_none() && n.params.iter().all(|p| p.name == "SORT-AS") && comps == want
}

/// The plain line export writes for a field value, when there is no shadow.
pub fn plain(name: &str, value: &str) -> Property {
    let v = match name {
        "ORG" => escape(value),
        "ADR" => format!(";;;{};;;", escape(value)),
        // A phone that itself starts with `tel:` keeps it through import.
        "TEL"
            if value
                .get(..4)
                .is_some_and(|s| s.eq_ignore_ascii_case("tel:")) =>
        {
            format!("tel:{}", escape(value))
        }
        // URIs: commas and semicolons are part of the address.
        "URL" => value.replace('\\', "\\\\").replace('\n', "\\n"),
        _ => escape(value),
    };
    Property::new(name, v)
}

/// Whether `p` says no more than the plain line for its value.
pub fn is_plain(p: &Property, value: &str) -> bool {
    p.to_line() == plain(&p.name, value).to_line()
}

/// A kept line in the form it is stored in: photos and logos as 4.0 `data:`
/// URIs (written back as 3.0 `ENCODING=b` when exporting 3.0), and `N`
/// without `SORT-AS` (export writes the current reading there).
pub fn canonical(mut p: Property) -> Property {
    match p.name.as_str() {
        // Always rebuilt: export rebuilds it to set SORT-AS.
        "N" => {
            p.params.retain(|q| q.name != "SORT-AS");
            p.raw = None;
        }
        "PHOTO" | "LOGO" => {
            let base64 = p
                .param_values("ENCODING")
                .any(|e| e.eq_ignore_ascii_case("b"));
            if base64 {
                let subtype = p
                    .param_values("TYPE")
                    .next()
                    .map(|t| t.to_ascii_lowercase())
                    .filter(|t| !t.is_empty() && !t.contains('/'))
                    .unwrap_or_else(|| "jpeg".to_string());
                p.value = format!("data:image/{subtype};base64,{}", p.value);
                p.params
                    .retain(|q| q.name != "ENCODING" && q.name != "TYPE");
                p.raw = None;
            } else if p.has_param("VALUE") {
                p.params.retain(|q| q.name != "VALUE");
                p.raw = None;
            }
        }
        _ => {}
    }
    p
}

/// A stored line in the form vCard 3.0 wants (photos as `ENCODING=b`).
pub fn for_v3(mut p: Property) -> Property {
    if !matches!(p.name.as_str(), "PHOTO" | "LOGO") {
        return p;
    }
    let data = p
        .value
        .strip_prefix("data:image/")
        .and_then(|rest| rest.split_once(";base64,"))
        .map(|(sub, data)| (sub.to_ascii_uppercase(), data.to_string()));
    match data {
        Some((subtype, data)) => {
            p.params.push(Param {
                name: "ENCODING".into(),
                values: vec!["b".into()],
            });
            p.params.push(Param {
                name: "TYPE".into(),
                values: vec![subtype],
            });
            p.value = data;
        }
        None => p.params.push(Param {
            name: "VALUE".into(),
            values: vec!["uri".into()],
        }),
    }
    p.raw = None;
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Property {
        parse_line(s).unwrap()
    }

    #[test]
    fn names_and_readings_split_by_script() {
        assert_eq!(n_parts("田中 健太"), ("田中".into(), "健太".into()));
        assert_eq!(
            n_parts("Emma Rose Johnson"),
            ("Johnson".into(), "Emma Rose".into())
        );
        assert_eq!(n_parts("Cher"), ("Cher".into(), String::new()));
        for (reading, name) in [
            ("たなか けんた", "田中 健太"),
            ("エマ ジョンソン", "Emma Johnson"),
        ] {
            let (f, g) = reading_parts(reading, name);
            assert_eq!(reading_from(&f, &g, name), reading);
        }
        assert_eq!(
            reading_parts("エマ ジョンソン", "Emma Johnson").0,
            "ジョンソン"
        );
    }

    #[test]
    fn shadows_follow_their_values() {
        let p = Person {
            name: "田中 健太".into(),
            phones: smallvec::smallvec!["090".into(), "03".into()],
            location: "Tokyo".into(),
            extra: thin_vec::thin_vec![
                "TEL;TYPE=HOME:03".into(),
                "TEL;TYPE=CELL:080".into(), // stale: the number changed
                "X-ABLABEL:x".into(),
                "ADR;TYPE=home:;;;Osaka;;;".into(), // stale: moved
                "NOTE:owned by a field".into(),
            ],
            ..Default::default()
        };
        let l = layout(&p);
        assert!(l.phones[0].is_none());
        assert_eq!(l.phones[1].as_ref().unwrap().to_line(), "TEL;TYPE=HOME:03");
        assert!(l.adr.is_none());
        assert_eq!(l.extra_lines(), vec!["TEL;TYPE=HOME:03", "X-ABLABEL:x"]);
    }

    #[test]
    fn plain_lines() {
        assert!(is_plain(&line("EMAIL:ken@example.jp"), "ken@example.jp"));
        assert!(!is_plain(
            &line("EMAIL;TYPE=work:ken@example.jp"),
            "ken@example.jp"
        ));
        assert!(is_plain(
            &line("ADR:;;;Tokyo;;;"),
            &location_of(&line("ADR:;;;Tokyo;;;"))
        ));
        assert!(n_is_plain(
            &line("N;SORT-AS=\"たなか,けんた\":田中;健太;;;"),
            "田中 健太"
        ));
        assert!(!n_is_plain(
            &line("N:Smith;John;Q.;Dr.;"),
            "Dr. John Q. Smith"
        ));
        assert_eq!(tel_of(&line("TEL;VALUE=uri:tel:+81-90")), "+81-90");
        assert_eq!(
            link_of(&line("X-SOCIALPROFILE;type=twitter;x-user=ken:x-apple:ken")),
            "https://twitter.com/ken"
        );
    }

    #[test]
    fn photos_convert_between_versions() {
        let v3 = line("PHOTO;ENCODING=b;TYPE=JPEG:AAAA");
        let stored = canonical(v3.clone());
        assert_eq!(stored.to_line(), "PHOTO:data:image/jpeg;base64,AAAA");
        assert_eq!(for_v3(stored).to_line(), "PHOTO;ENCODING=b;TYPE=JPEG:AAAA");
    }
}
