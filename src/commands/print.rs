//! What `alumni search` and `alumni show` print for people: terminal
//! text, escaped, columns aligned by display width.

use std::io::{self, Write};

use crate::domain::Person;
use crate::store::PersonEvent;
use crate::text::{fit, sanitize, sanitize_multiline, width};

/// One line per person: id, name, reading, nickname, first joined year,
/// company, first email; columns aligned by display width.
pub(super) fn print_people(people: &[&Person], out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<[String; 7]> = people
        .iter()
        .map(|p| {
            [
                p.id.clone(),
                p.name.clone(),
                p.reading.clone(),
                p.nickname.clone(),
                p.first_joined()
                    .map(|d| d.format("%Y").to_string())
                    .unwrap_or_default()
                    .into(),
                p.company.as_str().into(),
                p.emails.first().cloned().unwrap_or_default(),
            ]
            .map(|s| sanitize(&s).into_owned())
        })
        .collect();
    const CAP: [usize; 7] = [10, 24, 24, 14, 4, 24, 40];
    let mut widths = [0usize; 7];
    for r in &rows {
        for (i, cell) in r.iter().enumerate() {
            widths[i] = widths[i].max(width(cell).min(CAP[i]));
        }
    }
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| fit(c, widths[i]))
            .collect();
        writeln!(out, "{}", line.join("  ").trim_end())?;
    }
    Ok(())
}

pub(super) fn print_person(
    p: &Person,
    cohorts: &[(String, String)],
    events: &[PersonEvent],
    out: &mut dyn Write,
) -> io::Result<()> {
    let s = |x: &str| sanitize(x).into_owned();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let nick = if p.nickname.is_empty() {
        String::new()
    } else {
        format!(" ({})", s(&p.nickname))
    };
    writeln!(out, "{}{}  [{}]", s(&p.name), nick, s(&p.id))?;
    let mut consent = match p.consent_date {
        Some(d) => format!("{} (recorded {d})", p.consent.as_str()),
        None => p.consent.as_str().to_string(),
    };
    if !p.consent_purpose.is_empty() {
        consent += &format!(", for {}", s(&p.consent_purpose));
    }
    let fields: [(&str, String); 11] = [
        ("reading", s(&p.reading)),
        ("emails", s(&p.emails.join(", "))),
        ("phones", s(&p.phones.join(", "))),
        ("links", s(&p.links.join(", "))),
        ("company", s(&p.company)),
        ("title", s(&p.title)),
        ("location", s(&p.location)),
        ("tags", s(&p.tags.join(", "))),
        ("consent", consent),
        ("closeness", p.closeness.as_str().to_string()),
        ("last contact", date(p.last_contacted)),
    ];
    for (k, v) in fields {
        if !v.is_empty() {
            writeln!(out, "  {k:<13}{v}")?;
        }
    }
    writeln!(out, "stints")?;
    if p.stints.is_empty() {
        writeln!(out, "  (none recorded)")?;
    }
    for st in &p.stints {
        let left = st.left.map_or_else(|| "…".to_string(), |d| d.to_string());
        let joined = st.joined.map_or_else(|| "?".to_string(), |d| d.to_string());
        writeln!(
            out,
            "  {joined} – {left:<10}  {}  {}",
            s(&st.department),
            s(&st.role)
        )?;
    }
    if !cohorts.is_empty() {
        writeln!(out, "cohorts")?;
        for (id, name) in cohorts {
            writeln!(out, "  {:<8}{}", s(id), s(name))?;
        }
    }
    if !events.is_empty() {
        writeln!(out, "events")?;
        for e in events {
            writeln!(
                out,
                "  {:<10}  {:<9}  {}  [{}]",
                date(e.date),
                e.status.as_str(),
                s(&e.name),
                s(&e.id)
            )?;
        }
    }
    if !p.notes.is_empty() {
        writeln!(out, "notes")?;
        for line in sanitize_multiline(&p.notes).lines() {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}
