//! Drawing: read-only over `State`, one file per pane and popup.

mod balance;
mod cohorts;
mod detail;
mod events;
mod form;
pub mod layout;
mod people;
mod popups;
mod suggestions;
pub mod widgets;

pub use events::guest_rows;

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::action::Action;
use super::i18n::{t, tf};
use super::keymap::{Context, Keymap};
use super::state::{Focus, Message, Pane, Popup, State};
use crate::text::{sanitize, thousands};

pub fn draw(f: &mut Frame, s: &State, keymap: &Keymap) {
    let area = f.area();
    if layout::too_small(area.width, area.height) {
        let msg = tf(
            s.lang,
            "msg.too_small",
            &[
                ("w", &area.width.to_string()),
                ("h", &area.height.to_string()),
                ("mw", &layout::MIN_WIDTH.to_string()),
                ("mh", &layout::MIN_HEIGHT.to_string()),
            ],
        );
        f.render_widget(
            Paragraph::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    let a = layout::areas(area.width, area.height);
    draw_tabs(f, s, a.tabs);
    match s.pane {
        Pane::People => people::draw(f, s, a.list, a.detail),
        Pane::Cohorts => cohorts::draw(f, s, a.list, a.detail),
        Pane::Events if s.balance => balance::draw(f, s, a.list.union(a.detail)),
        Pane::Events => events::draw(f, s, a.list, a.detail),
    }
    draw_search(f, s, keymap, a.search);
    draw_status(f, s, keymap, a.status);
    match &s.popup {
        Some(Popup::Help { scroll }) => popups::help(f, s, keymap, *scroll),
        Some(Popup::Confirm { message, .. }) => popups::confirm(f, s, message),
        Some(Popup::Form(form)) => form::form(f, s, keymap, form),
        Some(Popup::Picker(p)) => popups::picker(f, s, keymap, p),
        Some(Popup::Suggestions(sg)) => suggestions::draw(f, s, keymap, sg),
        None => {}
    }
}

fn draw_tabs(f: &mut Frame, s: &State, area: ratatui::layout::Rect) {
    let mut spans = Vec::new();
    for (i, title) in layout::tab_titles(s.lang).into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let style = if Pane::ALL[i] == s.pane {
            Style::new()
                .bg(Color::Cyan)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::new().fg(Color::Gray)
        };
        spans.push(Span::styled(title, style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_search(f: &mut Frame, s: &State, keymap: &Keymap, area: ratatui::layout::Rect) {
    let text = &s.search[s.search_slot()];
    let line = if s.editing {
        // The last search, shown selected: the first key typed replaces it.
        let style = if s.search_selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        Line::from(vec![
            Span::styled("/ ", widgets::label()),
            Span::styled(sanitize(text).into_owned(), style),
            Span::styled("▏", Style::new().fg(Color::Yellow)),
        ])
    } else if !text.is_empty() {
        let clear = keymap
            .key_for(s.context(), &Action::Back)
            .unwrap_or_default();
        Line::from(vec![
            Span::styled(format!("{} ", t(s.lang, "search.filter")), widgets::label()),
            Span::styled(
                sanitize(text).into_owned(),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!("  ({clear}: {})", t(s.lang, "search.clear")),
                widgets::dim(),
            ),
        ])
    } else {
        let key = keymap
            .key_for(Context::Global, &Action::Search)
            .unwrap_or_default();
        let hint = format!("{key} {}", t(s.lang, "search.hint"));
        Line::from(Span::styled(
            crate::text::fit(&hint, area.width as usize),
            widgets::dim(),
        ))
    };
    f.render_widget(Paragraph::new(line), area);
}

/// The actions worth a hint in each context, most useful first.
fn hints(ctx: Context) -> &'static [Action] {
    match ctx {
        Context::People => &[
            Action::Search,
            Action::Add,
            Action::Edit,
            Action::Delete,
            Action::CycleSort,
            Action::Help,
            Action::Quit,
        ],
        Context::Cohorts => &[
            Action::Search,
            Action::FocusDetail,
            Action::AddMembers,
            Action::Add,
            Action::Edit,
            Action::Help,
            Action::Quit,
        ],
        Context::Members => &[
            Action::AddMembers,
            Action::RemoveMember,
            Action::Back,
            Action::Help,
        ],
        Context::Events => &[
            Action::Search,
            Action::FocusDetail,
            Action::Invite,
            Action::Balance,
            Action::Suggest,
            Action::Add,
            Action::Help,
            Action::Quit,
        ],
        Context::Invitations => &[
            Action::SetAttended,
            Action::AttendSecond,
            Action::SetAccepted,
            Action::SetDeclined,
            Action::Search,
            Action::Balance,
            Action::Back,
            Action::Help,
        ],
        Context::Suggestions => &[Action::Confirm, Action::Cancel],
        Context::Search => &[Action::Confirm, Action::Cancel, Action::ClearField],
        Context::Form => &[
            Action::NextField,
            Action::Save,
            Action::ClearField,
            Action::AddStint,
            Action::Cancel,
        ],
        Context::Picker => &[Action::Toggle, Action::Confirm, Action::Cancel],
        Context::Confirm | Context::Erase => &[Action::Confirm, Action::Cancel],
        Context::Help => &[Action::Cancel],
        Context::Global => &[],
    }
}

fn draw_status(f: &mut Frame, s: &State, keymap: &Keymap, area: ratatui::layout::Rect) {
    if let Some(m) = &s.message {
        let (text, style) = match m {
            Message::Info(t) => (t, Style::new().fg(Color::Green)),
            Message::Error(t) => (t, widgets::error()),
        };
        f.render_widget(
            Paragraph::new(Span::styled(sanitize(text).into_owned(), style)),
            area,
        );
        return;
    }
    let count = match s.pane {
        Pane::People if s.loading.is_some() => tf(
            s.lang,
            match s.renewing {
                true => "status.renewing",
                false => "status.loading",
            },
            &[("n", &thousands(s.loading.unwrap_or(0)))],
        ),
        Pane::People if s.search_pending => t(s.lang, "status.searching").to_string(),
        Pane::People => tf(
            s.lang,
            "status.people",
            &[
                ("shown", &thousands(s.people.rows.len())),
                ("total", &thousands(s.data.people.len())),
                ("sort", t(s.lang, s.sort.key())),
            ],
        ),
        Pane::Cohorts => tf(
            s.lang,
            "status.cohorts",
            &[
                ("n", &s.data.cohorts.len().to_string()),
                ("g", &s.generations.len().to_string()),
            ],
        ),
        Pane::Events => tf(
            s.lang,
            "status.events",
            &[("n", &s.data.events.len().to_string())],
        ),
    };
    let ctx = s.context();
    // The question whether to discard a changed form says what y and n do.
    let discarding = matches!(&s.popup, Some(Popup::Form(f)) if f.asking_discard);
    // So does the question whether to drop the people chosen in a picker.
    let dropping = matches!(&s.popup, Some(Popup::Picker(p)) if p.asking_drop);
    // As the form's own footer: stints only in a person's form, and Esc on
    // a changed form asks first.
    let (stints, changed) = match &s.popup {
        Some(Popup::Form(f)) => (
            matches!(f.kind, crate::tui::state::FormKind::Person(_)),
            f.is_changed(),
        ),
        _ => (true, false),
    };
    let hints: Vec<String> = if s.popup.is_none() && s.report_takes_keys() {
        report_hints(s, keymap, ctx)
    } else {
        hints(ctx)
            .iter()
            .filter(|a| stints || **a != Action::AddStint)
            .filter_map(|a| {
                let key = keymap.key_for(ctx, a)?;
                let hint = match a {
                    Action::Confirm if discarding => "hint.discard".to_string(),
                    Action::Cancel if discarding => "hint.keep_editing".to_string(),
                    Action::Confirm if dropping => "hint.drop".to_string(),
                    Action::Cancel if dropping => "hint.keep_choosing".to_string(),
                    Action::Cancel if changed && ctx == Context::Form => {
                        "hint.cancel_asks".to_string()
                    }
                    a => format!("hint.{}", action_name(a)),
                };
                Some(format!("{key} {}", t(s.lang, &hint)))
            })
            .collect()
    };
    let left = format!("{count}  ");
    // As many hints as fit, whole; the help key always, so the rest is one
    // key away.
    let help = keymap
        .key_for(ctx, &Action::Help)
        .map(|k| format!("{k} {}", t(s.lang, "hint.help")));
    let room = (area.width as usize).saturating_sub(crate::text::width(&left));
    let mut shown: Vec<String> = Vec::new();
    let reserve = help.as_ref().map_or(0, |h| crate::text::width(h) + 3);
    for h in hints.iter().filter(|h| Some(*h) != help.as_ref()) {
        let used = crate::text::width(&shown.join(" · "));
        if used + crate::text::width(h) + 3 + reserve > room {
            break;
        }
        shown.push(h.clone());
    }
    shown.extend(help);
    let left = Span::styled(
        crate::text::fit(&left, (area.width as usize).min(crate::text::width(&left))),
        Style::new().add_modifier(Modifier::BOLD),
    );
    let right = Span::styled(shown.join(" · "), widgets::dim());
    f.render_widget(Paragraph::new(Line::from(vec![left, right])), area);
    let _ = Focus::List;
}

/// The keys of the balance report, as the keymap binds them: scrolling,
/// closing it, the suggestions, quitting (help is added by the caller).
fn report_hints(s: &State, keymap: &Keymap, ctx: Context) -> Vec<String> {
    // Of the keys that go back, Esc where it is one (over a guest list `h`
    // is bound first, but closing a popup with `h` is nobody's guess).
    let key = |a: &Action| {
        let all = keymap.keys_for(ctx, a);
        all.iter().find(|k| *k == "Esc").or(all.first()).cloned()
    };
    let keys = |actions: &[Action]| {
        let keys: Vec<String> = actions.iter().filter_map(key).collect();
        (!keys.is_empty()).then(|| keys.join("/"))
    };
    [
        (keys(&[Action::Down, Action::Up]), "hint.scroll"),
        (keys(&[Action::Balance, Action::Back]), "hint.close"),
        (keys(&[Action::Suggest]), "hint.suggest"),
        (keys(&[Action::Quit]), "hint.quit"),
    ]
    .into_iter()
    .filter_map(|(k, hint)| Some(format!("{} {}", k?, t(s.lang, hint))))
    .collect()
}

/// The snake_case name of a bindable action (its name in the keymap).
pub fn action_name(a: &Action) -> String {
    serde_json::to_value(a)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
