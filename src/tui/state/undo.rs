//! Undo of the last removal: a person (with their memberships and
//! invitations), a cohort, an event, an invitation or a cohort member.

use super::{Effect, Focus, Message, Pane, State};
use crate::domain::{Cohort, Event, Invitation, InvitationStatus, Person};
use crate::tui::i18n::tf;

/// The last deleted record, with what referred to it, for `u`.
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    Person {
        person: Box<Person>,
        /// (cohort id, position in its member list)
        cohorts: Vec<(String, usize)>,
        /// (event id, position, status, parts attended)
        invitations: Vec<(String, usize, InvitationStatus, Vec<String>)>,
    },
    Cohort(Cohort),
    Event(Event),
    /// An invitation taken back, with the reply and parts it had.
    Invitation {
        event: String,
        pos: usize,
        invitation: Invitation,
    },
    /// A member taken out of a cohort.
    Member {
        cohort: String,
        pos: usize,
        person: crate::domain::Text,
    },
}

impl Deleted {
    /// Whether undoing this would bring person `id` back somewhere (as a
    /// member, a guest, or themself).
    pub fn mentions(&self, id: &str) -> bool {
        match self {
            Deleted::Person { person, .. } => person.id == id,
            Deleted::Cohort(c) => c.members.iter().any(|m| m == id),
            Deleted::Event(e) => e.invitations.iter().any(|i| i.person == id),
            Deleted::Invitation { invitation, .. } => invitation.person == id,
            Deleted::Member { person, .. } => person == id,
        }
    }
}

pub(super) fn undo(s: &mut State) -> Vec<Effect> {
    let Some(deleted) = s.undo.take() else {
        s.info("msg.nothing_to_undo");
        return Vec::new();
    };
    let mut effects = Vec::new();
    match deleted {
        Deleted::Person {
            person,
            cohorts,
            invitations,
        } => {
            let person = *person;
            s.data.people.push(person.clone());
            s.index.push(&person);
            let slot = s.data.people.len() - 1;
            effects.push(Effect::RestorePerson(Box::new(person.clone())));
            for (cid, pos) in cohorts {
                if let Some(ci) = s.data.cohorts.iter().position(|c| c.id == cid) {
                    let c = &mut s.data.cohorts[ci];
                    c.members
                        .insert(pos.min(c.members.len()), person.id.clone());
                    effects.push(Effect::SaveCohort {
                        cohort: c.clone(),
                        slot: ci,
                    });
                }
            }
            for (eid, pos, status, attended_parts) in invitations {
                if let Some(ei) = s.data.events.iter().position(|e| e.id == eid) {
                    let e = &mut s.data.events[ei];
                    let inv = Invitation {
                        person: person.id.to_string(),
                        status,
                        attended_parts,
                    };
                    e.invitations.insert(pos.min(e.invitations.len()), inv);
                    effects.push(Effect::SaveEvent {
                        event: e.clone(),
                        slot: ei,
                    });
                }
            }
            s.added(slot);
            s.pane = Pane::People;
            s.people.select_record(slot);
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.restored",
                &[("name", &person.name)],
            )));
        }
        Deleted::Cohort(c) => {
            s.data.cohorts.push(c.clone());
            let slot = s.data.cohorts.len() - 1;
            s.refresh_cohorts();
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.restored",
                &[("name", &c.name)],
            )));
            effects.push(Effect::SaveCohort { cohort: c, slot });
        }
        Deleted::Event(e) => {
            s.data.events.push(e.clone());
            let slot = s.data.events.len() - 1;
            s.refresh_events();
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.restored",
                &[("name", &e.name)],
            )));
            effects.push(Effect::SaveEvent { event: e, slot });
        }
        Deleted::Invitation {
            event,
            pos,
            invitation,
        } => {
            let Some(ei) = s.data.events.iter().position(|e| e.id == event) else {
                s.info("msg.nothing_to_undo");
                return Vec::new();
            };
            let ev = &mut s.data.events[ei];
            // Invited again meanwhile: the reply it had comes back instead.
            ev.invitations.retain(|i| i.person != invitation.person);
            let pos = pos.min(ev.invitations.len());
            let person = invitation.person.clone();
            ev.invitations.insert(pos, invitation);
            let saved = ev.clone();
            let event_name = ev.name.clone();
            show_invitation(s, ei, pos);
            let name = s.name_of(&person);
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.invitation_restored",
                &[("name", &name), ("event", &event_name)],
            )));
            effects.push(Effect::SaveEvent {
                event: saved,
                slot: ei,
            });
        }
        Deleted::Member {
            cohort,
            pos,
            person,
        } => {
            let Some(ci) = s.data.cohorts.iter().position(|c| c.id == cohort) else {
                s.info("msg.nothing_to_undo");
                return Vec::new();
            };
            let c = &mut s.data.cohorts[ci];
            let pos = pos.min(c.members.len());
            c.members.insert(pos, person.clone());
            let saved = c.clone();
            let cohort_name = c.name.clone();
            show_member(s, ci, pos);
            let name = s.name_of(&person);
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.member_restored",
                &[("name", &name), ("cohort", &cohort_name)],
            )));
            effects.push(Effect::SaveCohort {
                cohort: saved,
                slot: ci,
            });
        }
    }
    effects
}

/// Shows the event at `e` with its invitation at `i` selected, clearing a
/// search that would hide either.
fn show_invitation(s: &mut State, e: usize, i: usize) {
    s.pane = Pane::Events;
    s.editing = false;
    s.balance = false;
    if !s.events.rows.contains(&super::list::row_index(e)) {
        s.search[Pane::Events as usize].clear();
    }
    s.refresh_events();
    s.events.select_record(e);
    s.refresh_invitations();
    if !s.invitations.rows.contains(&super::list::row_index(i)) {
        s.search[super::INVITATIONS_SEARCH].clear();
        s.refresh_invitations();
    }
    s.focus = Focus::Detail;
    s.invitations.select_record(i);
}

/// Shows the cohort at `c` with its member number `k` selected.
fn show_member(s: &mut State, c: usize, k: usize) {
    s.pane = Pane::Cohorts;
    s.editing = false;
    if !s.cohorts.rows.contains(&super::list::row_index(c)) {
        s.search[Pane::Cohorts as usize].clear();
    }
    s.refresh_cohorts();
    s.cohorts.select_record(c);
    s.refresh_members();
    s.focus = Focus::Detail;
    s.members.select_record(k);
}
