//! The JSON interchange format (`alumni/1`): full fidelity, upsert by id.

use std::collections::HashSet;

use serde::Deserialize;

use super::{Incoming, Problem, Record};
use crate::domain::{FORMAT, Roster, valid_id};

#[derive(Deserialize)]
struct Head {
    format: Option<serde_json::Value>,
}

/// serde_json's message without its " at line L column C" tail (we print the line ourselves).
fn bare_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

pub fn parse(file: &str, bytes: &[u8]) -> Incoming {
    let mut incoming = Incoming::default();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let fatal = |incoming: &mut Incoming, line, field: &str, message: String| {
        incoming
            .fatal
            .push(Problem::new(file, line, field, message));
    };
    match serde_json::from_slice::<Head>(bytes) {
        Err(e) => {
            let field = if e.is_syntax() || e.is_eof() {
                "json"
            } else {
                "document"
            };
            fatal(&mut incoming, Some(e.line()), field, bare_message(&e));
            return incoming;
        }
        Ok(Head { format: None }) => {
            fatal(
                &mut incoming,
                None,
                "format",
                format!("missing: not an alumni JSON file (expected \"format\": \"{FORMAT}\")"),
            );
            return incoming;
        }
        Ok(Head { format: Some(f) }) if f.as_str() != Some(FORMAT) => {
            fatal(
                &mut incoming,
                None,
                "format",
                format!("unknown format {f} (this version reads \"{FORMAT}\")"),
            );
            return incoming;
        }
        Ok(_) => {}
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let roster: Roster = match serde_path_to_error::deserialize(de) {
        Ok(r) => r,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            fatal(
                &mut incoming,
                Some(inner.line()),
                &path,
                bare_message(&inner),
            );
            return incoming;
        }
    };

    incoming.erased = roster.erased;
    let mut seen = HashSet::new();
    for (i, p) in roster.people.into_iter().enumerate() {
        let path = format!("people[{i}]");
        incoming.rows += 1;
        let mut problems: Vec<Problem> = p
            .problems()
            .into_iter()
            .map(|(f, m)| Problem::new(file, None, &format!("{path}.{f}"), m))
            .collect();
        if !p.id.is_empty() {
            if !valid_id(&p.id) {
                problems.push(Problem::new(
                    file,
                    None,
                    &format!("{path}.id"),
                    format!(
                        "{:?} is not a usable id (no spaces, at most 64 characters)",
                        p.id
                    ),
                ));
            } else if !seen.insert(p.id.clone()) {
                problems.push(Problem::new(
                    file,
                    None,
                    &format!("{path}.id"),
                    format!("{} appears twice in the file", p.id),
                ));
            }
        }
        if problems.is_empty() {
            incoming.records.push(Record {
                line: None,
                path,
                person: p,
                consent_given: true,
                closeness_given: true,
            });
        } else {
            incoming.problems.extend(problems);
        }
    }
    let mut seen = HashSet::new();
    for (i, c) in roster.cohorts.into_iter().enumerate() {
        let path = format!("cohorts[{i}]");
        let mut problems = Vec::new();
        if c.name.trim().is_empty() {
            problems.push(Problem::new(
                file,
                None,
                &format!("{path}.name"),
                "is required".into(),
            ));
        }
        check_id(file, &path, &c.id, &mut seen, &mut problems);
        let mut members = HashSet::new();
        for (j, m) in c.members.iter().enumerate() {
            if !members.insert(m) {
                problems.push(Problem::new(
                    file,
                    None,
                    &format!("{path}.members[{j}]"),
                    format!("{m} is listed twice"),
                ));
            }
        }
        if problems.is_empty() {
            incoming.cohorts.push((path, c));
        } else {
            incoming.problems.extend(problems);
        }
    }
    let mut seen = HashSet::new();
    for (i, e) in roster.events.into_iter().enumerate() {
        let path = format!("events[{i}]");
        let mut problems = Vec::new();
        if e.name.trim().is_empty() {
            problems.push(Problem::new(
                file,
                None,
                &format!("{path}.name"),
                "is required".into(),
            ));
        }
        check_id(file, &path, &e.id, &mut seen, &mut problems);
        let mut parts = HashSet::new();
        for (j, part) in e.parts.iter().enumerate() {
            if part.trim().is_empty() || !parts.insert(part) {
                problems.push(Problem::new(
                    file,
                    None,
                    &format!("{path}.parts[{j}]"),
                    format!("{part:?}: parts need distinct, non-empty names"),
                ));
            }
        }
        let mut invited = HashSet::new();
        for (j, inv) in e.invitations.iter().enumerate() {
            for (k, part) in inv.attended_parts.iter().enumerate() {
                if !e.parts.contains(part) {
                    problems.push(Problem::new(
                        file,
                        None,
                        &format!("{path}.invitations[{j}].attended_parts[{k}]"),
                        format!("{part:?} is not one of the event's parts"),
                    ));
                }
            }
            if !invited.insert(&inv.person) {
                problems.push(Problem::new(
                    file,
                    None,
                    &format!("{path}.invitations[{j}].person"),
                    format!("{} is invited twice", inv.person),
                ));
            }
        }
        if problems.is_empty() {
            incoming.events.push((path, e));
        } else {
            incoming.problems.extend(problems);
        }
    }
    incoming
}

fn check_id(
    file: &str,
    path: &str,
    id: &str,
    seen: &mut HashSet<String>,
    problems: &mut Vec<Problem>,
) {
    if id.is_empty() {
        return;
    }
    if !valid_id(id) {
        problems.push(Problem::new(
            file,
            None,
            &format!("{path}.id"),
            format!("{id:?} is not a usable id"),
        ));
    } else if !seen.insert(id.to_string()) {
        problems.push(Problem::new(
            file,
            None,
            &format!("{path}.id"),
            format!("{id} appears twice in the file"),
        ));
    }
}
