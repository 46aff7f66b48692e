//! `update`: how each action changes the state, and which effects follow.

use super::{
    Effect, Focus, INVITATIONS_SEARCH, Message, Pane, Popup, Sort, State, edit, form_input, picker,
    reunion, undo,
};
use super::{PickFor, Picker};
use crate::search::{Index, Query};
use crate::tui::action::Action;
use crate::tui::i18n::{t, tf};

/// The pure state transition.
pub fn update(s: &mut State, action: Action) -> Vec<Effect> {
    let effects = transition(s, action);
    sync_scroll(s);
    effects
}

/// Keeps every list's selection on screen for the current window size.
fn sync_scroll(s: &mut State) {
    let a = crate::tui::ui::layout::areas(s.size.0, s.size.1);
    let list_rows = a.list.height.saturating_sub(2) as usize;
    s.people.scroll_to_selection(list_rows.saturating_sub(1));
    s.cohorts.scroll_to_selection(list_rows);
    s.events.scroll_to_selection(list_rows);
    // The members list has half the detail column; invitations sit under the
    // event's heading and counts, as many lines as they take.
    let members_rows = (a.detail.height / 2).saturating_sub(2) as usize;
    s.members.scroll_to_selection(members_rows);
    let inv_rows = crate::tui::ui::guest_rows(s, a.detail);
    s.invitations.scroll_to_selection(inv_rows);
}

/// Ranks the People search whose results are pending, asking `cancel`
/// between chunks of the roster; true when the results are in, false when
/// `cancel` said a key is waiting (the ranking starts again after it).
pub fn run_pending_search(s: &mut State, cancel: &mut dyn FnMut() -> bool) -> bool {
    if !s.search_pending {
        return true;
    }
    let q = s.query(Pane::People);
    if q.text.trim().is_empty() || q.wants_due() || s.loading.is_some() {
        s.refresh_people();
    } else {
        let Some(rows) = s
            .narrow
            .positions_or_cancel(&q, &s.index, &s.data.people, cancel)
        else {
            return false;
        };
        s.people.set_row_indices(rows, None);
        s.search_pending = false;
    }
    // A new search text selects its best match.
    s.people.selected = 0;
    s.people.offset = 0;
    s.after_move();
    sync_scroll(s);
    true
}

/// What can be done with the first page while the roster loads: nothing
/// that changes a record or needs everyone (other panes, reports).
fn allowed_while_loading(a: &Action) -> bool {
    matches!(
        a,
        Action::Quit
            | Action::Terminate
            | Action::Help
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Search
            | Action::Back
            | Action::Confirm
            | Action::Cancel
            | Action::Input(_)
            | Action::Backspace
            | Action::Resize(..)
            | Action::Click(..)
            | Action::ScrollUp
            | Action::ScrollDown
    )
}

fn transition(s: &mut State, action: Action) -> Vec<Effect> {
    // A message stays until the next key.
    if !matches!(
        action,
        Action::Resize(..) | Action::Saved { .. } | Action::Erased { .. } | Action::Failed(..)
    ) {
        s.message = None;
    }
    if let Action::Unbound { key, help } = &action {
        s.message = Some(Message::Info(match help {
            Some(help) => tf(s.lang, "msg.unbound", &[("key", key), ("help", help)]),
            None => tf(s.lang, "msg.unbound_no_help", &[("key", key)]),
        }));
        return Vec::new();
    }
    if let Some(total) = s.loading
        && !allowed_while_loading(&action)
    {
        s.message = Some(Message::Info(tf(
            s.lang,
            "msg.loading",
            &[("n", &crate::text::thousands(total))],
        )));
        return Vec::new();
    }
    match action {
        Action::Resize(w, h) => {
            s.size = (w, h);
            return Vec::new();
        }
        Action::Saved { kind, slot, id } => {
            edit::saved(s, kind, slot, id);
            return Vec::new();
        }
        Action::Erased { id, name } => {
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.forgot",
                &[("name", &name), ("id", &id)],
            )));
            return Vec::new();
        }
        Action::Failed(msg, data) => {
            if let Some(data) = data {
                s.data = *data;
                s.index = Index::build(&s.data.people);
                s.reindex();
            }
            s.error(msg);
            return Vec::new();
        }
        // Ctrl-C on a form with changes asks first, as Esc does, rather
        // than lose what was typed; at the question it quits.
        Action::Quit if matches!(&s.popup, Some(Popup::Form(f)) if f.is_changed() && !f.asking_discard) =>
        {
            if let Some(Popup::Form(f)) = &mut s.popup {
                f.asking_discard = true;
            }
            return Vec::new();
        }
        Action::Quit | Action::Terminate => {
            s.quit = true;
            return vec![Effect::Quit];
        }
        _ => {}
    }
    match s.popup.take() {
        Some(Popup::Help { scroll }) => {
            // Scrolls as far as its last line shows (as drawn), no further.
            let room = usize::from(s.help_room.get());
            let page = s.page().max(1);
            let scroll = scroll.min(room);
            let scroll = match action {
                Action::Down => scroll + 1,
                Action::ScrollDown => scroll + 3,
                Action::PageDown => scroll + page,
                Action::Bottom => room,
                Action::Up => scroll.saturating_sub(1),
                Action::ScrollUp => scroll.saturating_sub(3),
                Action::PageUp => scroll.saturating_sub(page),
                Action::Top => 0,
                Action::Cancel | Action::Help | Action::Click(..) => return Vec::new(),
                _ => scroll,
            };
            s.popup = Some(Popup::Help {
                scroll: scroll.min(room),
            });
            Vec::new()
        }
        Some(Popup::Confirm { message, pending }) => match action {
            Action::Confirm => edit::confirmed(s, pending),
            Action::Cancel => Vec::new(),
            _ => {
                s.popup = Some(Popup::Confirm { message, pending });
                Vec::new()
            }
        },
        Some(Popup::Form(form)) => form_input::form_action(s, form, action),
        Some(Popup::Picker(p)) => picker::picker_action(s, p, action),
        Some(Popup::Suggestions(list)) => reunion::suggestions_action(s, list, action),
        None if s.editing => search_action(s, action),
        None if s.report_takes_keys() => balance_action(s, action),
        None => list_action(s, action),
    }
}

/// While the balance report covers the Events pane: the moving keys scroll
/// it (the event under it stays the same), Esc or `b` closes it; the rest
/// (suggestions, another pane, search) as in the lists.
fn balance_action(s: &mut State, action: Action) -> Vec<Effect> {
    let room = s.balance_room.get();
    let page = (s.page() as u16).max(1);
    let scroll = s.balance_scroll;
    s.balance_scroll = match action {
        Action::Up => scroll.saturating_sub(1),
        Action::ScrollUp => scroll.saturating_sub(3),
        Action::PageUp => scroll.saturating_sub(page),
        Action::Top => 0,
        Action::Down => scroll.saturating_add(1).min(room),
        Action::ScrollDown => scroll.saturating_add(3).min(room),
        Action::PageDown => scroll.saturating_add(page).min(room),
        Action::Bottom => room,
        Action::Back | Action::Cancel => {
            s.balance = false;
            s.balance_scroll = 0;
            s.refresh_report();
            return Vec::new();
        }
        _ => return list_action(s, action),
    };
    Vec::new()
}

fn search_action(s: &mut State, action: Action) -> Vec<Effect> {
    let pane = s.search_slot();
    // The text `/` showed selected goes at the first key that edits it.
    let selected = std::mem::take(&mut s.search_selected);
    match action {
        Action::Input(c) => {
            if selected {
                s.search[pane].clear();
            }
            s.search[pane].push(c);
        }
        Action::Backspace => {
            if selected {
                s.search[pane].clear();
            } else {
                s.search[pane].pop();
            }
        }
        Action::ClearField => s.search[pane].clear(),
        Action::KeepSearch => return Vec::new(),
        Action::Cancel => {
            s.search[pane].clear();
            s.editing = false;
        }
        Action::Confirm => {
            s.editing = false;
            return Vec::new();
        }
        Action::Up => {
            s.search_selected = selected;
            s.move_selection(-1);
            return Vec::new();
        }
        Action::Down => {
            s.search_selected = selected;
            s.move_selection(1);
            return Vec::new();
        }
        _ => {
            s.search_selected = selected;
            return Vec::new();
        }
    }
    let q = Query::parse(&s.search[pane]);
    if pane == Pane::People as usize
        && s.pane == Pane::People
        && s.index.len() >= s.defer_search_above
        && !q.text.trim().is_empty()
        && !q.wants_due()
    {
        s.search_pending = true;
        if let Some(e) = q.errors.first() {
            s.error(e.clone());
        }
        return Vec::new();
    }
    s.refresh_pane();
    // A new search text selects its best match, so the detail and Enter
    // follow the top hit rather than whoever was selected before.
    let list = if pane == INVITATIONS_SEARCH {
        &mut s.invitations
    } else {
        s.focused_list()
    };
    list.selected = 0;
    list.offset = 0;
    s.after_move();
    let q = Query::parse(&s.search[pane]);
    if let Some(e) = q.errors.first() {
        s.error(e.clone());
    }
    Vec::new()
}

fn list_action(s: &mut State, action: Action) -> Vec<Effect> {
    let page = s.page() as isize;
    match action {
        Action::Help => s.popup = Some(Popup::Help { scroll: 0 }),
        Action::NextPane | Action::PrevPane => {
            let i = s.pane as usize;
            let n = if action == Action::NextPane {
                i + 1
            } else {
                i + 2
            };
            s.switch_pane(Pane::ALL[n % 3]);
        }
        Action::PanePeople => s.switch_pane(Pane::People),
        Action::PaneCohorts => s.switch_pane(Pane::Cohorts),
        Action::PaneEvents => s.switch_pane(Pane::Events),
        Action::Up => s.move_selection(-1),
        Action::Down => s.move_selection(1),
        Action::ScrollUp => s.move_selection(-3),
        Action::ScrollDown => s.move_selection(3),
        Action::PageUp => s.move_selection(-page),
        Action::PageDown => s.move_selection(page),
        Action::Top => s.move_selection(isize::MIN / 2),
        Action::Bottom => s.move_selection(isize::MAX / 2),
        Action::Search => {
            // Searching from an event's guests searches the guests.
            if s.search_slot() != INVITATIONS_SEARCH {
                s.focus = Focus::List;
            }
            s.editing = true;
            // A new search each time: the last one shows selected, and
            // typing replaces it (as a browser's address line does).
            s.search_selected = !s.search[s.search_slot()].is_empty();
        }
        Action::Back => {
            let slot = s.search_slot();
            if !s.search[slot].is_empty() {
                s.search[slot].clear();
                s.refresh_pane();
            } else if s.focus == Focus::Detail {
                s.focus = Focus::List;
            }
        }
        Action::CycleSort if s.pane == Pane::People => {
            s.sort = match s.sort {
                Sort::Reading => Sort::Joined,
                Sort::Joined => Sort::Left,
                Sort::Left => Sort::LastContacted,
                Sort::LastContacted => Sort::Reading,
            };
            s.resort();
            let label = t(s.lang, s.sort.key());
            s.message = Some(Message::Info(tf(s.lang, "msg.sorted", &[("by", label)])));
        }
        Action::FocusDetail => {
            let has = match s.pane {
                Pane::Cohorts => s.cohorts.current().is_some(),
                Pane::Events => s.events.current().is_some(),
                Pane::People => false,
            };
            if has {
                s.focus = Focus::Detail;
            }
        }
        Action::Click(x, y) => return click(s, x, y),
        Action::Add => return edit::open_add(s),
        Action::Edit => return edit::open_edit(s),
        Action::Delete => edit::ask_delete(s),
        Action::Forget => edit::ask_forget(s),
        Action::Undo => return undo::undo(s),
        Action::Invite => {
            if let Some(e) = s.events.current() {
                s.popup = Some(Popup::Picker(Picker::new(s, PickFor::Invite(e))));
            }
        }
        Action::AddMembers => {
            if s.cohorts.current().is_some_and(|c| s.is_generation(c)) {
                s.error(t(s.lang, "msg.generation_readonly").to_string());
            } else if let Some(c) = s.cohorts.current() {
                s.popup = Some(Popup::Picker(Picker::new(s, PickFor::Members(c))));
            }
        }
        Action::RemoveMember => return edit::remove_member(s),
        Action::SetInvited => return edit::set_status(s, crate::domain::InvitationStatus::Invited),
        Action::SetAccepted => {
            return edit::set_status(s, crate::domain::InvitationStatus::Accepted);
        }
        Action::SetDeclined => {
            return edit::set_status(s, crate::domain::InvitationStatus::Declined);
        }
        Action::SetMaybe => return edit::set_status(s, crate::domain::InvitationStatus::Maybe),
        Action::SetAttended => return reunion::toggle_part(s, 0),
        Action::SetNoShow => return edit::set_status(s, crate::domain::InvitationStatus::NoShow),
        Action::Uninvite => return edit::uninvite(s),
        Action::Balance if s.pane == Pane::Events => {
            s.balance = !s.balance;
            s.balance_scroll = 0;
            s.refresh_report();
        }
        Action::Suggest if s.pane == Pane::Events => reunion::open_suggestions(s),
        Action::AttendSecond => return reunion::toggle_part(s, 1),
        _ => {}
    }
    Vec::new()
}

/// Mouse clicks: the tab titles switch panes; a click in a list selects the row.
fn click(s: &mut State, x: u16, y: u16) -> Vec<Effect> {
    let areas = crate::tui::ui::layout::areas(s.size.0, s.size.1);
    if y == areas.tabs.y {
        for (i, (x0, x1)) in crate::tui::ui::layout::tab_spans(s.lang)
            .into_iter()
            .enumerate()
        {
            if x >= x0 && x < x1 {
                s.switch_pane(Pane::ALL[i]);
            }
        }
        return Vec::new();
    }
    // The first list row sits under the list's border and header.
    let list = areas.list;
    let header = if s.pane == Pane::People { 1 } else { 0 };
    let top = list.y + 1 + header;
    if x >= list.x && x < list.x + list.width && y >= top && y < list.y + list.height - 1 {
        s.focus = Focus::List;
        let view = s.focused_list();
        let row = view.offset + (y - top) as usize;
        if row < view.rows.len() {
            view.selected = row;
            s.after_move();
        }
    }
    Vec::new()
}
