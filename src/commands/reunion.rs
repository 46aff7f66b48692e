//! The reunion commands: report, suggest, invite, event add, due, and the
//! invite list for a mail merge.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use chrono::NaiveDate;
use serde::Serialize;

use crate::analytics::report::{self, Report};
use crate::analytics::suggest::suggest;
use crate::analytics::{Generation, Settings, StintIndex, due};
use crate::domain::date::parse_date;
use crate::domain::{Consent, Event, Invitation, InvitationStatus, Person};
use crate::store::{Store, StoreError};
use crate::text::{fit, sanitize, thousands};

pub struct Ctx {
    pub store: Store,
    pub people: Vec<Person>,
    pub events: Vec<Event>,
    pub settings: Settings,
    pub today: NaiveDate,
}

impl Ctx {
    pub fn load(store: Store, settings: Settings, today: NaiveDate) -> Result<Ctx> {
        Ok(Ctx {
            people: store.people()?,
            events: store.events()?,
            store,
            settings,
            today,
        })
    }

    fn event(&self, id: &str) -> Result<&Event> {
        self.events.iter().find(|e| e.id == id).ok_or_else(|| {
            StoreError::UnknownId {
                kind: "event",
                id: id.to_string(),
            }
            .into()
        })
    }

    fn person(&self, id: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.id == id)
    }

    fn name(&self, id: &str) -> String {
        self.person(id)
            .map_or_else(|| id.to_string(), |p| p.name.to_string())
    }
}

/// JSON written for a terminal or a pipe, with untrusted text kept harmless.
fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    writeln!(
        out,
        "{}",
        super::json_safe(serde_json::to_string_pretty(value)?)
    )?;
    Ok(())
}

pub fn report(ctx: &Ctx, event_id: &str, as_json: bool, out: &mut dyn Write) -> Result<()> {
    let event = ctx.event(event_id)?;
    let index = StintIndex::build(&ctx.people, ctx.today);
    let r = report::build(&ctx.people, &index, event, &ctx.settings, ctx.today);
    if as_json {
        return json(out, &r);
    }
    print_report(ctx, event, &r, out)
}

fn print_report(ctx: &Ctx, event: &Event, r: &Report, out: &mut dyn Write) -> Result<()> {
    let s = |x: &str| sanitize(x).into_owned();
    let date = event
        .date
        .map_or_else(|| "date TBD".to_string(), |d| d.to_string());
    writeln!(
        out,
        "{} ({})  {date}  {}",
        s(&event.name),
        s(&event.id),
        s(&event.venue)
    )?;
    writeln!(out, "coming: {} (accepted or attended)", r.coming)?;
    writeln!(out)?;
    writeln!(out, "generation   alumni  invited  accepted  attended")?;
    for g in &r.generations {
        let flag = if g.nobody_coming {
            "  ! nobody coming"
        } else {
            ""
        };
        writeln!(
            out,
            "{:<11} {:>7}  {:>7}  {:>8}  {:>8}{flag}",
            g.band,
            thousands(g.alumni),
            g.invited,
            g.accepted,
            g.attended
        )?;
    }
    let e = &r.erased;
    if e.invited > 0 {
        writeln!(
            out,
            "{:<11} {:>7}  {:>7}  {:>8}  {:>8}  (forgotten on request: counted, not named)",
            "erased", "-", e.invited, e.accepted, e.attended
        )?;
    }
    writeln!(out)?;
    if r.coming == 0 {
        writeln!(out, "nobody is coming yet")?;
    } else if r.isolated.is_empty() {
        writeln!(out, "everyone coming knows someone else coming")?;
    } else {
        writeln!(out, "knows nobody here:")?;
        for iso in &r.isolated {
            let bridges: Vec<String> = iso
                .bridges
                .iter()
                .map(|b| format!("{} {}", s(b), s(&ctx.name(b))))
                .collect();
            let bridges = if bridges.is_empty() {
                "no bridge found".to_string()
            } else {
                format!("bridges: {}", bridges.join(", "))
            };
            writeln!(
                out,
                "  {} {}  ({bridges})",
                s(&iso.person),
                s(&ctx.name(&iso.person))
            )?;
        }
    }
    if !r.largest_clique.is_empty() {
        let warn = if r.clique_warning {
            "  ! more than half of those coming"
        } else {
            ""
        };
        let names: Vec<String> = r.largest_clique.iter().map(|p| s(&ctx.name(p))).collect();
        writeln!(
            out,
            "largest group who all worked together: {} of {}{warn}\n  {}",
            r.largest_clique.len(),
            r.coming,
            names.join(", ")
        )?;
    }
    let mix: Vec<String> = crate::domain::Closeness::ALL
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.as_str().replace('_', " "),
                r.closeness.get(c.as_str()).unwrap_or(&0)
            )
        })
        .collect();
    writeln!(out, "invitees by closeness: {}", mix.join(" · "))?;
    if !r.parts.is_empty() {
        let parts: Vec<String> = r
            .parts
            .iter()
            .map(|p| format!("{} {}", s(&p.part), p.attended))
            .collect();
        writeln!(out, "attended by part: {}", parts.join(" · "))?;
    }
    Ok(())
}

pub fn suggestions(
    ctx: &Ctx,
    event_id: &str,
    count: usize,
    as_json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let event = ctx.event(event_id)?;
    let index = StintIndex::build(&ctx.people, ctx.today);
    let list = suggest(&ctx.people, &index, event, &ctx.settings, ctx.today, count);
    if as_json {
        return json(out, &list);
    }
    if list.is_empty() && count > 0 {
        writeln!(
            out,
            "nobody to suggest: everyone who could help is invited already or asked not to be contacted"
        )?;
    }
    for sg in &list {
        let mark = if sg.consent_unknown {
            "  (consent unknown: ask first)"
        } else {
            ""
        };
        let name = sanitize(&ctx.name(&sg.person)).into_owned();
        let name = fit(&name, 20);
        writeln!(
            out,
            "{:<8} {name}  {}{mark}",
            sanitize(&sg.person),
            sanitize(&sg.reason)
        )?;
    }
    Ok(())
}

/// Invites people, or records their reply. All or nothing: an unknown id or
/// someone who said no to contact refuses the whole command.
pub fn invite(
    mut ctx: Ctx,
    event_id: &str,
    ids: &[String],
    status: Option<InvitationStatus>,
    parts: &[String],
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let mut event = ctx.event(event_id)?.clone();
    for part in parts {
        if !event.parts.contains(part) {
            let known = if event.parts.is_empty() {
                "none".to_string()
            } else {
                event.parts.join(", ")
            };
            bail!("{} has no part {part:?} (its parts: {known})", event.id);
        }
    }
    // Parts record attendance. Without --status, a new invitee is invited and
    // a reply already recorded is kept: re-running a batch loses nothing.
    let status = if parts.is_empty() {
        status
    } else {
        Some(InvitationStatus::Attended)
    };
    // Attended without a part counts the first part, as in the TUI.
    let parts: Vec<String> = match (status, event.parts.first()) {
        (Some(InvitationStatus::Attended), Some(first)) if parts.is_empty() => vec![first.clone()],
        _ => parts.to_vec(),
    };
    let mut unique: Vec<&String> = Vec::new();
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    let mut refused = Vec::new();
    let mut touched: Vec<Person> = Vec::new();
    for id in unique.iter().copied() {
        let p = ctx.person(id).ok_or_else(|| StoreError::UnknownId {
            kind: "person",
            id: id.clone(),
        })?;
        if p.consent == Consent::No {
            let when = p
                .consent_date
                .map(|d| format!(" on {d}"))
                .unwrap_or_default();
            refused.push(format!(
                "{} ({}) asked not to be contacted{when}: not invited",
                sanitize(id),
                sanitize(&p.name)
            ));
            continue;
        }
        let now = match event.invitations.iter_mut().find(|i| i.person == *id) {
            Some(inv) => {
                if let Some(st) = status {
                    inv.status = st;
                    // Parts record attendance: any other reply clears them.
                    if st != InvitationStatus::Attended {
                        inv.attended_parts.clear();
                    }
                }
                for part in &parts {
                    if !inv.attended_parts.contains(part) {
                        inv.attended_parts.push(part.clone());
                    }
                }
                inv.status
            }
            None => {
                let st = status.unwrap_or_default();
                event.invitations.push(Invitation {
                    person: id.clone(),
                    status: st,
                    attended_parts: parts.clone(),
                });
                st
            }
        };
        // A reply or a visit is contact.
        if status.is_some()
            && now != InvitationStatus::Invited
            && p.last_contacted < Some(ctx.today)
        {
            let mut p = p.clone();
            p.last_contacted = Some(ctx.today);
            touched.push(p);
        }
    }
    if !refused.is_empty() {
        for r in &refused {
            eprintln!("{r}");
        }
        eprintln!("alumni: nothing was changed");
        return Ok(ExitCode::FAILURE);
    }
    // Keep per-part attendance in the event's part order.
    for inv in &mut event.invitations {
        inv.attended_parts
            .sort_by_key(|p| event.parts.iter().position(|x| x == p));
    }
    let tx = ctx.store.transaction()?;
    tx.upsert_event(&event)?;
    for p in &touched {
        tx.upsert_person(p, false)?;
    }
    tx.commit()?;
    let what = status.map_or("invited (replies kept)", |s| s.as_str());
    writeln!(
        out,
        "{}: {} {what} ({} invitations in all)",
        sanitize(&event.name),
        unique.len(),
        event.invitations.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

pub fn add_event(
    db: &std::path::Path,
    name: &str,
    date: Option<&str>,
    venue: &str,
    parts: &[String],
    out: &mut dyn Write,
) -> Result<()> {
    // Without --date the date is not fixed yet (an empty --date is a
    // mistake, such as an unset shell variable, and refused).
    let date = match date {
        Some(d) => Some(parse_date(d).map_err(|e| anyhow!("--date: {e}"))?),
        None => None,
    };
    if name.trim().is_empty() {
        bail!("the event needs a name");
    }
    // clap splits on `,`; `、` and `，` separate parts as well.
    let parts: Vec<String> = parts
        .iter()
        .flat_map(|p| crate::domain::event::split_parts(p))
        .collect();
    if let Some(dup) = crate::domain::event::duplicate_part(&parts) {
        bail!("--parts: {dup:?} is given twice");
    }
    // Checked before the store is opened: a mistake creates nothing.
    let mut store = super::open_store(db, true)?;
    let tx = store.transaction()?;
    let id = tx.upsert_event(&Event {
        name: name.trim().to_string(),
        date,
        venue: venue.trim().to_string(),
        parts,
        ..Default::default()
    })?;
    tx.commit()?;
    writeln!(out, "{id}")?;
    Ok(())
}

#[derive(Serialize)]
struct DueRow<'a> {
    id: &'a str,
    name: &'a str,
    closeness: &'static str,
    #[serde(with = "crate::domain::date::iso_opt")]
    last_contacted: Option<NaiveDate>,
    email: &'a str,
}

pub fn due_list(ctx: &Ctx, limit: usize, as_json: bool, out: &mut dyn Write) -> Result<()> {
    let list = due(&ctx.people, ctx.today, &ctx.settings);
    let rows: Vec<DueRow> = list
        .iter()
        .take(limit)
        .map(|&i| {
            let p = &ctx.people[i];
            DueRow {
                id: &p.id,
                name: &p.name,
                closeness: p.closeness.as_str(),
                last_contacted: p.last_contacted,
                email: p.emails.first().map_or("", |e| e.as_str()),
            }
        })
        .collect();
    if as_json {
        return json(out, &rows);
    }
    for r in &rows {
        let last = r
            .last_contacted
            .map_or_else(|| "never".to_string(), |d| d.to_string());
        writeln!(
            out,
            "{:<8} {}  {:<8}  {:<10}  {}",
            sanitize(r.id),
            fit(&sanitize(r.name), 20),
            r.closeness,
            last,
            sanitize(r.email)
        )?;
    }
    if list.len() > rows.len() {
        writeln!(
            out,
            "... and {} more (--limit)",
            thousands(list.len() - rows.len())
        )?;
    }
    Ok(())
}

/// The invite list for a mail merge: consenting (yes or unknown, marked)
/// invitees only; someone who said no never appears.
pub fn export_invites(ctx: &Ctx, event_id: &str, out: &mut dyn Write) -> Result<()> {
    let event = ctx.event(event_id)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "name",
        "nickname",
        "email",
        "generation",
        "status",
        "consent",
    ])?;
    for inv in &event.invitations {
        let Some(p) = ctx.person(&inv.person) else {
            continue;
        };
        if p.consent == Consent::No {
            continue;
        }
        let band = Generation::of(p, ctx.settings.band_years).label(ctx.settings.band_years);
        w.write_record([
            p.name.as_str(),
            &p.nickname,
            p.emails.first().map_or("", |e| e.as_str()),
            &band,
            inv.status.as_str(),
            p.consent.as_str(),
        ])?;
    }
    w.flush()?;
    Ok(())
}
