//! The Events pane's reunion tools: suggestions to accept with one key, and
//! attendance per part.

use super::{Effect, Focus, ListView, Message, Pane, Popup, State};
use crate::analytics::suggest::{Suggestion, suggest};
use crate::domain::{Invitation, InvitationStatus};
use crate::tui::action::Action;
use crate::tui::i18n::tf;

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
                let name = s
                    .person(&chosen.person)
                    .map_or(chosen.person.clone(), |p| p.name.to_string());
                s.message = Some(Message::Info(tf(
                    s.lang,
                    "msg.invited_one",
                    &[("name", &name)],
                )));
                s.refresh_invitations();
                s.popup = Some(Popup::Suggestions(sg));
                return vec![Effect::SaveEvent {
                    event,
                    slot: s.events.current().unwrap_or(0),
                }];
            }
        }
        _ => {}
    }
    s.popup = Some(Popup::Suggestions(sg));
    Vec::new()
}

/// `X` on a guest: came to the second part (二次会) too; again: did not.
pub(super) fn attend_second(s: &mut State) -> Vec<Effect> {
    if s.pane != Pane::Events || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(e), Some(i)) = (s.events.current(), s.invitations.current()) else {
        return Vec::new();
    };
    let Some(second) = s.data.events[e].parts.get(1).cloned() else {
        s.message = Some(Message::Error(tf(s.lang, "msg.no_second_part", &[])));
        return Vec::new();
    };
    let inv = &mut s.data.events[e].invitations[i];
    if let Some(pos) = inv.attended_parts.iter().position(|p| *p == second) {
        inv.attended_parts.remove(pos);
    } else {
        inv.attended_parts.push(second);
    }
    super::edit::set_status(s, InvitationStatus::Attended)
}
