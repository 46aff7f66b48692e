//! The Events pane's reunion tools: suggestions to accept with one key, and
//! attendance per part.

use super::{Effect, Focus, ListView, Message, Pane, Popup, State};
use crate::analytics::suggest::{Suggestion, suggest};
use crate::domain::{Invitation, InvitationStatus};
use crate::tui::action::Action;
use crate::tui::i18n::{t, tf};

/// How many suggestions the popup offers.
const COUNT: usize = 12;

#[derive(Debug, Clone)]
pub struct Suggestions {
    /// The event they are for.
    pub event: usize,
    pub list: Vec<Suggestion>,
    pub view: ListView,
}

pub(super) fn open_suggestions(s: &mut State) {
    let Some(e) = s.events.current() else { return };
    let list = suggest(
        &s.data.people,
        &s.stints,
        &s.data.events[e],
        &s.settings,
        s.today,
        COUNT,
    );
    let mut view = ListView::default();
    view.set_rows(0..list.len(), None);
    s.popup = Some(Popup::Suggestions(Suggestions {
        event: e,
        list,
        view,
    }));
}

pub(super) fn suggestions_action(
    s: &mut State,
    mut sg: Suggestions,
    action: Action,
) -> Vec<Effect> {
    match action {
        Action::Cancel => return Vec::new(),
        Action::Up | Action::ScrollUp => sg.view.move_by(-1),
        Action::Down | Action::ScrollDown => sg.view.move_by(1),
        Action::Confirm => {
            if let Some(i) = sg.view.current() {
                let chosen = sg.list.remove(i);
                sg.view.set_rows(0..sg.list.len(), None);
                sg.view.selected = i.min(sg.list.len().saturating_sub(1));
                let event = &mut s.data.events[sg.event];
                event.invitations.push(Invitation {
                    person: chosen.person.clone(),
                    ..Default::default()
                });
                let event = event.clone();
                let person = s.person(&chosen.person);
                let name = person.map_or(chosen.person.clone(), |p| p.name.to_string());
                // Suggestions offer nobody who said no; someone who never
                // said is offered, and the coordinator asks them first.
                let ask = person.is_some_and(|p| p.consent == crate::domain::Consent::Unknown);
                s.message = Some(Message::Info(tf(
                    s.lang,
                    if ask {
                        "msg.invited_one_ask"
                    } else {
                        "msg.invited_one"
                    },
                    &[("name", &name)],
                )));
                s.refresh_invitations();
                let slot = sg.event;
                s.popup = Some(Popup::Suggestions(sg));
                return vec![Effect::SaveEvent { event, slot }];
            }
        }
        _ => {}
    }
    s.popup = Some(Popup::Suggestions(sg));
    Vec::new()
}

/// `x` (part 0) and `X` (part 1) on a guest: came to that part; the same
/// key again: did not, after all. Both parts can be recorded in any order.
/// An event without parts has no part to count: `x` toggles attended.
/// When no part is left the reply goes back to what it was before it was
/// attended (accepted when that is not known).
pub(super) fn toggle_part(s: &mut State, k: usize) -> Vec<Effect> {
    if s.pane != Pane::Events || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(e), Some(i)) = (s.events.current(), s.invitations.current()) else {
        return Vec::new();
    };
    let ev = &s.data.events[e];
    let part = ev.parts.get(k).cloned();
    if k > 0 && part.is_none() {
        s.message = Some(Message::Error(tf(s.lang, "msg.no_second_part", &[])));
        return Vec::new();
    }
    let inv = &ev.invitations[i];
    let key = (ev.id.clone(), inv.person.clone());
    let name = s.name_of(&key.1);
    let was = inv.status == InvitationStatus::Attended;
    // Parts recorded under another reply (an import) do not count.
    let mut parts = if was {
        inv.attended_parts.clone()
    } else {
        Vec::new()
    };
    let came = match &part {
        Some(p) => match parts.iter().position(|x| x == p) {
            Some(pos) => {
                parts.remove(pos);
                false
            }
            None => {
                parts.push(p.clone());
                true
            }
        },
        None => !was,
    };
    let status = if came || (part.is_some() && !parts.is_empty()) {
        if !was {
            let before = inv.status;
            s.before_attended.insert(key, before);
        }
        InvitationStatus::Attended
    } else {
        s.before_attended
            .remove(&key)
            .unwrap_or(InvitationStatus::Accepted)
    };
    let effects = super::edit::set_reply(s, e, i, status, parts);
    let parts = &s.data.events[e].invitations[i].attended_parts;
    let status_text = t(s.lang, &format!("status.{}", status.as_str()));
    let text = match (&part, came) {
        (None, true) => tf(s.lang, "msg.came", &[("name", &name)]),
        (None, false) => tf(
            s.lang,
            "msg.not_attended",
            &[("name", &name), ("status", status_text)],
        ),
        (Some(p), true) => tf(
            s.lang,
            "msg.came_to",
            &[("name", &name), ("part", p), ("parts", &parts.join(" · "))],
        ),
        (Some(p), false) if parts.is_empty() => tf(
            s.lang,
            "msg.not_at_any",
            &[("name", &name), ("part", p), ("status", status_text)],
        ),
        (Some(p), false) => tf(
            s.lang,
            "msg.not_at",
            &[("name", &name), ("part", p), ("parts", &parts.join(" · "))],
        ),
    };
    s.message = Some(Message::Info(text));
    effects
}
