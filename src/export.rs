//! Export: JSON (full fidelity) and CSV (the canonical columns, one row per stint).

use std::io::{self, Write};

use chrono::NaiveDate;

use crate::domain::{Person, Roster};
use crate::import::csv::{CANONICAL, EXTRA};

fn iso(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The roster as pretty JSON in the `alumni/1` format, newline-terminated.
pub fn write_json(roster: &Roster, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, roster)?;
    out.write_all(b"\n")
}

/// People as CSV with the canonical header (then `links`, `consent_date`,
/// `id`, `consent_purpose`): one row per stint, person fields repeated, lists joined with `;`.
/// A person without stints gets one row. Re-importing it gives the same people.
pub fn write_csv(people: &[Person], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CANONICAL.iter().chain(&EXTRA))?;
    let none = [Default::default()];
    for p in people {
        let stints = if p.stints.is_empty() {
            &none[..]
        } else {
            &p.stints[..]
        };
        for s in stints {
            w.write_record([
                p.name.as_str(),
                &p.reading,
                &p.nickname,
                &p.emails.join(";"),
                &p.phones.join(";"),
                &s.department,
                &s.role,
                &iso(s.joined),
                &iso(s.left),
                &p.company,
                &p.title,
                &p.location,
                &p.tags.join(";"),
                &p.notes,
                p.consent.as_str(),
                p.closeness.as_str(),
                &iso(p.last_contacted),
                &p.links.join(";"),
                &iso(p.consent_date),
                &p.id,
                &p.consent_purpose,
            ])?;
        }
    }
    w.flush()
}
