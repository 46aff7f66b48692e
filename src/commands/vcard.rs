//! `alumni export --format vcf [--cohort ID | --event ID] [--vcard-version 3|4]
//! [-o FILE | --dir DIR]`: people as vCards, in one file or as a vdir (one
//! `UID.vcf` per person, the layout khard and vdirsyncer read).

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::VcardVersion;
use crate::domain::{Consent, Person};
use crate::store::{self, Store, StoreError};
use crate::text::sanitize;
use crate::vcard::Version;
use crate::vcard::write::{card, write_cards};

/// What to export and where.
pub struct VcfExport<'a> {
    pub cohort: Option<&'a str>,
    pub event: Option<&'a str>,
    pub version: Option<VcardVersion>,
    pub output: Option<&'a Path>,
    pub dir: Option<&'a Path>,
}

fn unknown(kind: &'static str, id: &str) -> StoreError {
    StoreError::UnknownId {
        kind,
        id: id.to_string(),
    }
}

/// Everyone (a whole copy of the book, for a backup or another program);
/// or, for contacting them, a cohort's members in the cohort's order or an
/// event's invitees in invitation order, without those who refused contact
/// (with how many were left out).
fn chosen(
    store: &Store,
    cohort: Option<&str>,
    event: Option<&str>,
) -> Result<(Vec<Person>, usize)> {
    let mut people = store.people()?;
    let ids: Vec<String> = if let Some(id) = cohort {
        let c = store.cohorts()?.into_iter().find(|c| c.id == id);
        let members = c.ok_or_else(|| unknown("cohort", id))?.members;
        members.iter().map(ToString::to_string).collect()
    } else if let Some(id) = event {
        let e = store.events()?.into_iter().find(|e| e.id == id);
        let e = e.ok_or_else(|| unknown("event", id))?;
        e.invitations.into_iter().map(|i| i.person).collect()
    } else {
        return Ok((people, 0));
    };
    let mut out = Vec::with_capacity(ids.len());
    let mut refused = 0;
    for id in ids {
        let Some(i) = people.iter().position(|p| p.id == id) else {
            continue;
        };
        let p = people.swap_remove(i);
        if p.consent == Consent::No {
            refused += 1;
        } else {
            out.push(p);
        }
    }
    Ok((out, refused))
}

pub fn export_vcf(store: &Store, opts: &VcfExport) -> Result<()> {
    let version = match opts.version {
        Some(VcardVersion::V3) => Version::V30,
        Some(VcardVersion::V4) | None => Version::V40,
    };
    let (people, refused) = chosen(store, opts.cohort, opts.event)?;
    match opts.dir {
        Some(dir) => {
            let others = write_vdir(dir, &people, version)?;
            let shown = sanitize(&dir.display().to_string()).into_owned();
            eprintln!(
                "{} written to {shown}",
                plural(people.len(), "card", "cards")
            );
            if others > 0 {
                eprintln!(
                    "{} already in {shown} left as they are",
                    plural(others, "other .vcf file", "other .vcf files")
                );
            }
        }
        None if opts.output.is_none() && io::stdout().is_terminal() => {
            // For reading on screen: names from anyone's card must not
            // drive the terminal. Pipes and files get the cards as they are.
            let mut out = super::output(None)?;
            for p in &people {
                for line in card(p, version).lines() {
                    writeln!(out, "{}", sanitize(line))?;
                }
            }
            out.flush()?;
        }
        None => {
            let mut out = super::output(opts.output)?;
            write_cards(&people, version, &mut out)?;
            out.flush()?;
        }
    }
    if refused > 0 {
        let (one, many) = match opts.event {
            Some(_) => ("invitee", "invitees"),
            None => ("member", "members"),
        };
        eprintln!(
            "{} who refused contact left out",
            plural(refused, one, many)
        );
    }
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", crate::text::thousands(n))
    }
}

/// The file name for a UID: the UID itself, with `%`, `/`, `\`, `:`, a
/// leading `.` and anything unprintable written as `%XX` so that an id can
/// never name a path outside the directory.
pub fn file_name(uid: &str) -> String {
    let mut out = String::with_capacity(uid.len() + 4);
    for (i, c) in uid.chars().enumerate() {
        let unsafe_char = matches!(c, '%' | '/' | '\\' | ':')
            || (i == 0 && c == '.')
            || crate::text::is_unsafe(c);
        if unsafe_char {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push_str(".vcf");
    out
}

/// Writes one `UID.vcf` per person (mode 0600; the directory, if new, 0700).
/// Returns how many other `.vcf` files the directory holds.
fn write_vdir(dir: &Path, people: &[Person], version: Version) -> Result<usize> {
    let shown = || sanitize(&dir.display().to_string()).into_owned();
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("cannot create {}", shown()))?;
    let mut written = std::collections::HashSet::new();
    for p in people {
        let name = file_name(&p.id);
        let path = dir.join(&name);
        let mut f = store::write_private_file(&path)
            .with_context(|| format!("cannot write {}", sanitize(&path.display().to_string())))?;
        f.write_all(card(p, version).as_bytes())?;
        written.insert(name);
    }
    let others = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", shown()))?
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.to_ascii_lowercase().ends_with(".vcf") && !written.contains(&name)
        })
        .count();
    Ok(others)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_stay_inside_the_directory() {
        assert_eq!(file_name("p-1"), "p-1.vcf");
        assert_eq!(file_name("../x"), "%2E.%2Fx.vcf");
        assert_eq!(file_name("a/b\\c:d%"), "a%2Fb%5Cc%3Ad%25.vcf");
        assert_eq!(file_name("田中"), "田中.vcf");
        assert_eq!(file_name("a\u{1b}"), "a%1B.vcf");
    }
}
