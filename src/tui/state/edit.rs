//! Adding, editing and deleting records: forms that validate as you type,
//! deletion behind a confirmation (what it keeps for `u` is in `undo`),
//! replies and attendance, invitations and members taken out.

use super::form::{FieldKey, Form, FormKind};
use super::{Deleted, Effect, Focus, Message, Pane, Popup, Sort, State};
use crate::domain::{Cohort, Event, InvitationStatus, Person};
use crate::tui::action::Kind;
use crate::tui::i18n::{t, tf};

/// What a confirmation will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    DeletePerson(usize),
    /// Erase on request (`alumni forget`), for good.
    ForgetPerson(usize),
    DeleteCohort(usize),
    DeleteEvent(usize),
    /// The invitation at this index of the event at that index.
    Uninvite {
        event: usize,
        invitation: usize,
    },
}

pub(super) fn open_add(s: &mut State) -> Vec<Effect> {
    let mut form = match s.pane {
        Pane::People => Form::person(None, &Person::default()),
        Pane::Cohorts => Form::cohort(None, &Cohort::default()),
        Pane::Events => Form::event(None, &Event::default()),
    };
    form.lang = s.lang;
    s.popup = Some(Popup::Form(form));
    Vec::new()
}

pub(super) fn open_edit(s: &mut State) -> Vec<Effect> {
    let form = match s.pane {
        Pane::People => s
            .people
            .current()
            .map(|i| Form::person(Some(i), &s.data.people[i])),
        Pane::Cohorts => match s.cohorts.current() {
            Some(i) if s.is_generation(i) => {
                s.error(t(s.lang, "msg.generation_readonly").to_string());
                None
            }
            other => other.map(|i| Form::cohort(Some(i), &s.data.cohorts[i])),
        },
        Pane::Events => s
            .events
            .current()
            .map(|i| Form::event(Some(i), &s.data.events[i])),
    };
    s.popup = form.map(|mut f| {
        f.lang = s.lang;
        Popup::Form(f)
    });
    Vec::new()
}

pub(super) fn save(s: &mut State, form: &Form) -> Vec<Effect> {
    match form.kind {
        FormKind::Person(slot) => {
            let base = slot.map(|i| s.data.people[i].clone()).unwrap_or_default();
            let mut person = form.to_person(&base);
            // A new consent is given today unless the coordinator typed the
            // day it was given: the old date would say when they agreed
            // (or refused) before.
            if person.consent != base.consent && person.consent_date == base.consent_date {
                person.consent_date = Some(s.today);
            }
            // Who overlapped with whom, and the generations, follow the stints.
            let stints_changed = slot.is_none() || base.stints != person.stints;
            let slot = match slot {
                Some(i) => {
                    s.data.people[i] = person.clone();
                    s.index.set(i, &person);
                    i
                }
                None => {
                    s.data.people.push(person.clone());
                    s.index.push(&person);
                    s.data.people.len() - 1
                }
            };
            s.place(slot);
            if stints_changed {
                s.stints = crate::analytics::StintIndex::build(&s.data.people, s.today);
                s.refresh_cohorts();
            }
            s.people.select_record(slot);
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.saved",
                &[("name", &person.name)],
            )));
            vec![Effect::SavePerson { person, slot }]
        }
        FormKind::Cohort(slot) => {
            let mut cohort = slot.map(|i| s.data.cohorts[i].clone()).unwrap_or_default();
            cohort.name = form.text(FieldKey::CohortName);
            let slot = put(&mut s.data.cohorts, slot, cohort.clone());
            s.refresh_cohorts();
            s.cohorts.select_record(slot);
            s.refresh_members();
            vec![Effect::SaveCohort { cohort, slot }]
        }
        FormKind::Event(slot) => {
            let mut event = slot.map(|i| s.data.events[i].clone()).unwrap_or_default();
            event.name = form.text(FieldKey::EventName);
            event.date = form.opt_date(FieldKey::EventDate);
            event.venue = form.text(FieldKey::EventVenue);
            event.notes = form.text(FieldKey::EventNotes);
            let mut dropped = Vec::new();
            if form.changed(FieldKey::EventParts) {
                dropped = set_parts(&mut event, form.parts());
            }
            let slot = put(&mut s.data.events, slot, event.clone());
            if !dropped.is_empty() {
                s.message = Some(Message::Info(tf(
                    s.lang,
                    "msg.parts_dropped",
                    &[("parts", &dropped.join(", "))],
                )));
            }
            s.refresh_events();
            s.events.select_record(slot);
            s.refresh_invitations();
            vec![Effect::SaveEvent { event, slot }]
        }
    }
}

/// Gives `event` the parts `new`. A part renamed in place (the list as
/// long as before, another name where the old one was) keeps who attended
/// it; the attendance of a part that is gone goes with it. Returns the
/// parts gone that someone had attended.
fn set_parts(event: &mut Event, new: Vec<String>) -> Vec<String> {
    let old = std::mem::replace(&mut event.parts, new);
    let renamed: Vec<(String, String)> = match old.len() == event.parts.len() {
        true => old
            .iter()
            .zip(&event.parts)
            .filter(|(o, n)| !event.parts.contains(o) && !old.contains(n))
            .map(|(o, n)| (o.clone(), n.clone()))
            .collect(),
        false => Vec::new(),
    };
    let rename = |p: &str| {
        renamed
            .iter()
            .find(|(o, _)| o == p)
            .map_or_else(|| p.to_string(), |(_, n)| n.clone())
    };
    let mut dropped: Vec<String> = Vec::new();
    let mut gone = |p: &str| {
        if !dropped.iter().any(|d| d == p) {
            dropped.push(p.to_string());
        }
    };
    for inv in &mut event.invitations {
        for p in std::mem::take(&mut inv.attended_parts) {
            let p = rename(&p);
            match event.parts.contains(&p) {
                true => inv.attended_parts.push(p),
                false => gone(&p),
            }
        }
    }
    for (p, n) in std::mem::take(&mut event.anonymous_parts) {
        let p = rename(&p);
        match event.parts.contains(&p) {
            true => *event.anonymous_parts.entry(p).or_default() += n,
            false => gone(&p),
        }
    }
    dropped
}

fn put<T>(v: &mut Vec<T>, slot: Option<usize>, x: T) -> usize {
    match slot {
        Some(i) => {
            v[i] = x;
            i
        }
        None => {
            v.push(x);
            v.len() - 1
        }
    }
}

/// The store gave a new record its id.
pub(super) fn saved(s: &mut State, kind: Kind, slot: usize, id: String) {
    match kind {
        Kind::Person => {
            if let Some(p) = s.data.people.get_mut(slot) {
                p.id = id.into();
                s.person_at.insert(&s.data.people, slot);
            }
        }
        Kind::Cohort => {
            if let Some(c) = s.data.cohorts.get_mut(slot) {
                c.id = id;
            }
        }
        Kind::Event => {
            if let Some(e) = s.data.events.get_mut(slot) {
                e.id = id;
            }
        }
    }
}

pub(super) fn ask_delete(s: &mut State) {
    let (name, pending) = match s.pane {
        Pane::People => match s.people.current() {
            Some(i) => {
                let p = &s.data.people[i];
                (format!("{} ({})", p.name, p.id), Pending::DeletePerson(i))
            }
            None => return,
        },
        Pane::Cohorts => match s.cohorts.current() {
            Some(i) if s.is_generation(i) => {
                s.error(t(s.lang, "msg.generation_readonly").to_string());
                return;
            }
            Some(i) => (s.data.cohorts[i].name.clone(), Pending::DeleteCohort(i)),
            None => return,
        },
        Pane::Events => match s.events.current() {
            Some(i) => (s.data.events[i].name.clone(), Pending::DeleteEvent(i)),
            None => return,
        },
    };
    let name = crate::text::sanitize(&name).into_owned();
    s.popup = Some(Popup::Confirm {
        message: tf(s.lang, "confirm.delete", &[("name", &name)]),
        pending,
    });
}

/// The People pane's `F`: asks before erasing the selected person on
/// request. Only `y` answers yes (`Context::Erase`): there is no undo.
pub(super) fn ask_forget(s: &mut State) {
    if s.pane != Pane::People {
        return;
    }
    let Some(i) = s.people.current() else {
        return;
    };
    let p = &s.data.people[i];
    let name = crate::text::sanitize(&p.name).into_owned();
    let id = crate::text::sanitize(&p.id).into_owned();
    s.popup = Some(Popup::Confirm {
        message: tf(s.lang, "confirm.forget", &[("name", &name), ("id", &id)]),
        pending: Pending::ForgetPerson(i),
    });
}

/// Takes person `i` out of the roster, their memberships and invitations
/// with them: (the person, (cohort id, position), (event id, position,
/// reply, parts attended)).
#[allow(clippy::type_complexity)]
fn take_person(
    s: &mut State,
    i: usize,
) -> (
    Person,
    Vec<(String, usize)>,
    Vec<(String, usize, InvitationStatus, Vec<String>)>,
) {
    let person = s.data.people.remove(i);
    s.index.remove(i);
    let mut cohorts = Vec::new();
    for c in &mut s.data.cohorts {
        if let Some(pos) = c.members.iter().position(|m| *m == person.id) {
            c.members.remove(pos);
            cohorts.push((c.id.clone(), pos));
        }
    }
    let mut invitations = Vec::new();
    for e in &mut s.data.events {
        if let Some(pos) = e.invitations.iter().position(|v| v.person == person.id) {
            let inv = e.invitations.remove(pos);
            invitations.push((e.id.clone(), pos, inv.status, inv.attended_parts));
        }
    }
    s.removed(i);
    (person, cohorts, invitations)
}

pub(super) fn confirmed(s: &mut State, pending: Pending) -> Vec<Effect> {
    let undo_key = t(s.lang, "msg.undo_hint");
    match pending {
        Pending::DeletePerson(i) => {
            let (person, cohorts, invitations) = take_person(s, i);
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(s.lang, "msg.deleted", &[("name", &person.name)])
            )));
            let id = person.id.clone();
            s.undo = Some(Deleted::Person {
                person: Box::new(person),
                cohorts,
                invitations,
            });
            vec![Effect::DeletePerson(id.to_string())]
        }
        Pending::ForgetPerson(i) => {
            let (person, _, invitations) = take_person(s, i);
            // As the store keeps them: their replies and the parts they
            // came to, as counts only.
            for (event, _, status, parts) in &invitations {
                if let Some(e) = s.data.events.iter_mut().find(|e| e.id == *event) {
                    *e.anonymous.entry(*status).or_default() += 1;
                    for part in parts {
                        *e.anonymous_parts.entry(part.clone()).or_default() += 1;
                    }
                }
            }
            s.refresh_events();
            // An undo kept from before must not bring them back (an event
            // or cohort deleted with them in it).
            if s.undo.as_ref().is_some_and(|u| u.mentions(&person.id)) {
                s.undo = None;
            }
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.forgetting",
                &[("name", &person.name), ("id", &person.id)],
            )));
            vec![Effect::ForgetPerson {
                id: person.id.to_string(),
                name: person.name.to_string(),
            }]
        }
        Pending::DeleteCohort(i) => {
            let c = s.data.cohorts.remove(i);
            s.refresh_cohorts();
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(s.lang, "msg.deleted", &[("name", &c.name)])
            )));
            let id = c.id.clone();
            s.undo = Some(Deleted::Cohort(c));
            vec![Effect::DeleteCohort(id)]
        }
        Pending::DeleteEvent(i) => {
            let e = s.data.events.remove(i);
            s.refresh_events();
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(s.lang, "msg.deleted", &[("name", &e.name)])
            )));
            let id = e.id.clone();
            s.undo = Some(Deleted::Event(e));
            vec![Effect::DeleteEvent(id)]
        }
        Pending::Uninvite { event, invitation } => {
            let Some(ev) = s.data.events.get_mut(event) else {
                return Vec::new();
            };
            if invitation >= ev.invitations.len() {
                return Vec::new();
            }
            let inv = ev.invitations.remove(invitation);
            let event_name = ev.name.clone();
            let event_id = ev.id.clone();
            let saved = ev.clone();
            s.refresh_invitations();
            let name = s.name_of(&inv.person);
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(
                    s.lang,
                    "msg.uninvited",
                    &[("name", &name), ("event", &event_name)]
                )
            )));
            s.undo = Some(Deleted::Invitation {
                event: event_id,
                pos: invitation,
                invitation: inv,
            });
            vec![Effect::SaveEvent {
                event: saved,
                slot: event,
            }]
        }
    }
}

/// Changes the reply of the selected invitation (Events pane, detail focus)
/// to one that is not attended (attendance is `reunion::toggle_part`): the
/// parts attended are cleared.
pub(super) fn set_status(s: &mut State, status: InvitationStatus) -> Vec<Effect> {
    if s.pane != Pane::Events || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(e), Some(i)) = (s.events.current(), s.invitations.current()) else {
        return Vec::new();
    };
    set_reply(s, e, i, status, Vec::new())
}

/// Stores a reply and the parts attended for invitation `i` of event `e`.
/// A reply or a visit is contact: the person's last contact becomes today.
pub(super) fn set_reply(
    s: &mut State,
    e: usize,
    i: usize,
    status: InvitationStatus,
    mut parts: Vec<String>,
) -> Vec<Effect> {
    let order = &s.data.events[e].parts;
    parts.sort_by_key(|p| order.iter().position(|x| x == p));
    let inv = &mut s.data.events[e].invitations[i];
    inv.status = status;
    inv.attended_parts = parts;
    let person_id = inv.person.clone();
    let event = s.data.events[e].clone();
    let mut effects = vec![Effect::SaveEvent { event, slot: e }];
    if status != InvitationStatus::Invited
        && let Some(p) = s.position_of(&person_id)
        && s.data.people[p].last_contacted < Some(s.today)
    {
        s.data.people[p].last_contacted = Some(s.today);
        effects.push(Effect::SavePerson {
            person: s.data.people[p].clone(),
            slot: p,
        });
        if s.sort == Sort::LastContacted {
            s.place(p);
        }
    }
    s.refresh_invitations();
    s.invitations.select_record(i);
    effects
}

pub(super) fn uninvite(s: &mut State) -> Vec<Effect> {
    if s.pane != Pane::Events || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(e), Some(i)) = (s.events.current(), s.invitations.current()) else {
        return Vec::new();
    };
    let ev = &s.data.events[e];
    let inv = &ev.invitations[i];
    let status = t(s.lang, &format!("status.{}", inv.status.as_str()));
    let name = crate::text::sanitize(&s.name_of(&inv.person)).into_owned();
    let event = crate::text::sanitize(&ev.name).into_owned();
    s.popup = Some(Popup::Confirm {
        message: tf(
            s.lang,
            "confirm.uninvite",
            &[("name", &name), ("status", status), ("event", &event)],
        ),
        pending: Pending::Uninvite {
            event: e,
            invitation: i,
        },
    });
    Vec::new()
}

pub(super) fn remove_member(s: &mut State) -> Vec<Effect> {
    if s.pane != Pane::Cohorts || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(c), Some(i)) = (s.cohorts.current(), s.members.current()) else {
        return Vec::new();
    };
    if s.is_generation(c) {
        s.error(t(s.lang, "msg.generation_readonly").to_string());
        return Vec::new();
    }
    let person = s.data.cohorts[c].members.remove(i);
    let cohort = s.data.cohorts[c].clone();
    s.refresh_members();
    let name = s.name_of(&person);
    s.message = Some(Message::Info(format!(
        "{} {}",
        tf(
            s.lang,
            "msg.removed_member",
            &[("name", &name), ("cohort", &cohort.name)]
        ),
        t(s.lang, "msg.undo_hint")
    )));
    s.undo = Some(Deleted::Member {
        cohort: cohort.id.clone(),
        pos: i,
        person,
    });
    vec![Effect::SaveCohort { cohort, slot: c }]
}

impl State {
    /// A person's name by id, for messages (the id when not in the roster).
    pub(super) fn name_of(&self, id: &str) -> String {
        self.person(id)
            .map_or_else(|| id.to_string(), |p| p.name.to_string())
    }
}
