//! Picking people from a searchable list: to invite them to an event, or to
//! add them to a cohort. Space selects several; Enter applies.

use std::collections::HashSet;

use super::{Effect, ListView, Message, Popup, State};
use crate::domain::{Consent, Invitation};
use crate::search::{self, Query};
use crate::tui::action::Action;
use crate::tui::i18n::tf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    /// Invite to the event at this index.
    Invite(usize),
    /// Add to the cohort at this index.
    Members(usize),
}

#[derive(Debug, Clone)]
pub struct Picker {
    pub purpose: PickFor,
    pub query: String,
    /// People (indices into `data.people`) that match the query.
    pub list: ListView,
    /// Chosen people, in the order they were chosen.
    pub chosen: Vec<usize>,
    /// Already invited / already members: not offered again.
    already: HashSet<usize>,
    /// Esc on an empty search line with people chosen asks whether to drop
    /// them (y) or go on choosing (n, Esc), rather than lose them silently.
    pub asking_drop: bool,
}

impl Picker {
    pub fn new(s: &State, purpose: PickFor) -> Picker {
        let ids: Vec<&str> = match purpose {
            PickFor::Invite(e) => s.data.events[e]
                .invitations
                .iter()
                .map(|i| i.person.as_str())
                .collect(),
            PickFor::Members(c) => (0..s.member_count(c)).map(|k| s.member_id(c, k)).collect(),
        };
        let already = ids.iter().filter_map(|id| s.position_of(id)).collect();
        let mut p = Picker {
            purpose,
            query: String::new(),
            list: ListView::default(),
            chosen: Vec::new(),
            already,
            asking_drop: false,
        };
        p.refresh(s);
        p
    }

    fn refresh(&mut self, s: &State) {
        let q = Query::parse(&self.query);
        let rows: Vec<usize> = if q.text.is_empty() {
            s.sorted
                .iter()
                .map(|&i| i as usize)
                .filter(|i| !self.already.contains(i) && q.matches(&s.data.people[*i]))
                .collect()
        } else {
            search::search(&q, &s.index, &s.data.people, usize::MAX)
                .into_iter()
                .map(|h| h.index)
                .filter(|i| !self.already.contains(i))
                .collect()
        };
        let keep = self.list.current();
        self.list.set_rows(rows, keep);
    }

    /// Whether `person` may be picked; consent `no` can never be invited.
    fn refusal(&self, s: &State, person: usize) -> Option<String> {
        let p = &s.data.people[person];
        if matches!(self.purpose, PickFor::Invite(_)) && p.consent == Consent::No {
            return Some(tf(s.lang, "msg.consent_refused", &[("name", &p.name)]));
        }
        if p.id.is_empty() {
            return Some(tf(s.lang, "msg.not_saved_yet", &[("name", &p.name)]));
        }
        None
    }
}

pub(super) fn picker_action(s: &mut State, mut p: Picker, action: Action) -> Vec<Effect> {
    let page = s.page() as isize;
    if p.asking_drop {
        // The picker stays on screen under the question, as a changed form
        // does: y drops the people chosen, n or Esc goes back to them.
        match action {
            Action::Confirm => {
                let key = match p.purpose {
                    PickFor::Invite(_) => "msg.dropped_invite",
                    PickFor::Members(_) => "msg.dropped_members",
                };
                let n = p.chosen.len().to_string();
                s.message = Some(Message::Info(tf(s.lang, key, &[("n", &n)])));
                return Vec::new();
            }
            Action::Cancel => p.asking_drop = false,
            _ => {}
        }
        s.popup = Some(Popup::Picker(p));
        return Vec::new();
    }
    match action {
        // Esc clears a search first, as the list says ('Nothing matches.
        // Esc clears the search.'), keeping the people chosen; on an empty
        // search line it closes the picker, asking first when people are
        // chosen.
        Action::Cancel if !p.query.is_empty() => {
            p.query.clear();
            p.refresh(s);
        }
        Action::Cancel if !p.chosen.is_empty() => p.asking_drop = true,
        Action::Cancel => return Vec::new(),
        Action::Input(c) => {
            p.query.push(c);
            p.refresh(s);
        }
        Action::Backspace => {
            p.query.pop();
            p.refresh(s);
        }
        Action::ClearField => {
            p.query.clear();
            p.refresh(s);
        }
        Action::Up | Action::ScrollUp => p.list.move_by(-1),
        Action::Down | Action::ScrollDown => p.list.move_by(1),
        Action::PageUp => p.list.move_by(-page),
        Action::PageDown => p.list.move_by(page),
        Action::Toggle => {
            if let Some(i) = p.list.current() {
                if let Some(pos) = p.chosen.iter().position(|&c| c == i) {
                    p.chosen.remove(pos);
                } else if let Some(why) = p.refusal(s, i) {
                    s.message = Some(Message::Error(why));
                } else {
                    p.chosen.push(i);
                }
                p.list.move_by(1);
            }
        }
        Action::Confirm => {
            if p.chosen.is_empty()
                && let Some(i) = p.list.current()
            {
                match p.refusal(s, i) {
                    Some(why) => {
                        s.message = Some(Message::Error(why));
                        s.popup = Some(Popup::Picker(p));
                        return Vec::new();
                    }
                    None => p.chosen.push(i),
                }
            }
            return apply(s, &p);
        }
        _ => {}
    }
    s.popup = Some(Popup::Picker(p));
    Vec::new()
}

fn apply(s: &mut State, p: &Picker) -> Vec<Effect> {
    let ids: Vec<String> = p
        .chosen
        .iter()
        .map(|&i| s.data.people[i].id.to_string())
        .collect();
    let n = ids.len().to_string();
    let ask = p
        .chosen
        .iter()
        .filter(|&&i| s.data.people[i].consent == crate::domain::Consent::Unknown)
        .count();
    match p.purpose {
        PickFor::Invite(e) => {
            let event = &mut s.data.events[e];
            for id in ids {
                event.invitations.push(Invitation {
                    person: id,
                    ..Default::default()
                });
            }
            let event = event.clone();
            s.refresh_invitations();
            s.message = Some(Message::Info(match ask {
                0 => tf(s.lang, "msg.invited", &[("n", &n)]),
                k => tf(
                    s.lang,
                    "msg.invited_ask",
                    &[("n", &n), ("k", &k.to_string())],
                ),
            }));
            vec![Effect::SaveEvent { event, slot: e }]
        }
        PickFor::Members(c) => {
            let cohort = &mut s.data.cohorts[c];
            cohort.members.extend(ids.into_iter().map(Into::into));
            let cohort = cohort.clone();
            s.refresh_members();
            s.message = Some(Message::Info(tf(s.lang, "msg.added_members", &[("n", &n)])));
            vec![Effect::SaveCohort { cohort, slot: c }]
        }
    }
}
