//! Popups drawn over the panes: help, confirmation, the people picker (the
//! forms are in form.rs).

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::action_name;
use super::widgets::{self, centered, fit_line};
use crate::domain::Consent;
use crate::search::query::FILTER_KEYS;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::state::{PickFor, Picker, State};

/// Every binding of the context under the popup, read from the keymap.
pub fn help(f: &mut Frame, s: &State, keymap: &Keymap, scroll: usize) {
    let area = centered(f.area(), 72, f.area().height.saturating_sub(2));
    widgets::clear(f, area);
    // The context the coordinator was in before opening help.
    let ctx = {
        let mut shadow = State::context_without_popup(s);
        if shadow == Context::Help {
            shadow = Context::People;
        }
        shadow
    };
    let mut lines = vec![Line::styled(
        tf(
            s.lang,
            "help.title",
            &[("context", t(s.lang, &format!("context.{}", ctx.name())))],
        ),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    for (action, keys) in keymap.bindings(ctx) {
        let name = action_name(&action);
        lines.push(Line::from(vec![
            Span::styled(format!("{:<18}", keys.join(", ")), widgets::label()),
            Span::raw(t(s.lang, &format!("action.{name}")).to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        t(s.lang, "help.search"),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    lines.push(Line::raw(t(s.lang, "help.search_text")));
    for k in FILTER_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {k:<20}"), widgets::label()),
            Span::raw(t(
                s.lang,
                &format!("help.filter.{}", k.split(':').next().unwrap_or("")),
            )),
        ]));
    }
    let block = Block::bordered()
        .title(format!(" {} ", t(s.lang, "help.heading")))
        .border_style(Style::new().fg(Color::Cyan));
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A question, as high as its text needs (wrapped by whole words and
/// wide characters, so nothing is drawn over the border), at most the
/// screen.
pub fn confirm(f: &mut Frame, s: &State, message: &str) {
    let screen = f.area();
    let width = 60.min(screen.width);
    let lines = widgets::wrap(&sanitize(message), usize::from(width.saturating_sub(2)));
    let height = (lines.len() as u16 + 2).min(screen.height);
    let area = centered(screen, width, height.max(3));
    widgets::clear(f, area);
    let block = Block::bordered()
        .title(format!(" {} ", t(s.lang, "confirm.title")))
        .border_style(Style::new().fg(Color::Red));
    let text: Vec<Line> = lines.into_iter().map(Line::from).collect();
    f.render_widget(Paragraph::new(text).block(block), area);
}

pub fn picker(f: &mut Frame, s: &State, keymap: &Keymap, p: &Picker) {
    let screen = f.area();
    let area = centered(
        screen,
        64.min(screen.width),
        screen.height.saturating_sub(2),
    );
    widgets::clear(f, area);
    let title = match p.purpose {
        PickFor::Invite(e) => tf(
            s.lang,
            "picker.invite",
            &[("event", &s.data.events[e].name)],
        ),
        PickFor::Members(c) => tf(s.lang, "picker.members", &[("cohort", &s.cohort(c).name)]),
    };
    let block = Block::bordered()
        .title(format!(" {} ", sanitize(&title)))
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled("/ ", widgets::label()),
        Span::raw(sanitize(&p.query).into_owned()),
        Span::styled("▏", Style::new().fg(Color::Yellow)),
        Span::styled(
            format!(
                "   {}",
                tf(
                    s.lang,
                    "picker.chosen",
                    &[("n", &p.chosen.len().to_string())]
                )
            ),
            widgets::dim(),
        ),
    ])];
    let h = inner.height.saturating_sub(2) as usize;
    let offset = p.list.selected.saturating_sub(h.saturating_sub(1));
    let q = crate::search::Query::parse(&p.query);
    for pos in offset..(offset + h).min(p.list.rows.len()) {
        let i = p.list.row(pos);
        let person = &s.data.people[i];
        let selected = pos == p.list.selected;
        let base = if selected {
            widgets::selected()
        } else {
            Style::new()
        };
        let mark = if p.chosen.contains(&i) {
            "[x] "
        } else {
            "[ ] "
        };
        let refused = matches!(p.purpose, PickFor::Invite(_)) && person.consent == Consent::No;
        let unknown = matches!(p.purpose, PickFor::Invite(_)) && person.consent == Consent::Unknown;
        let (mark, base) = if refused {
            ("[✗] ", base.patch(Style::new().fg(Color::Red)))
        } else if unknown && !p.chosen.contains(&i) {
            // Allowed, but nobody has asked yet.
            ("[?] ", base.patch(Style::new().fg(Color::Yellow)))
        } else {
            (mark, base)
        };
        let text = if person.nickname.is_empty() {
            person.name.to_string()
        } else {
            format!("{} ({})", person.name, person.nickname)
        };
        let hl = if q.text.is_empty() {
            vec![]
        } else {
            crate::search::highlight(&text, &q.text)
        };
        let mut spans = vec![Span::styled(mark, base)];
        spans.extend(fit_line(&text, w.saturating_sub(4), &hl, base).spans);
        lines.push(Line::from(spans));
    }
    if p.list.rows.is_empty() {
        lines.push(Line::styled(t(s.lang, "empty.no_match"), widgets::dim()));
    }
    f.render_widget(Paragraph::new(lines), inner);
    let keys = [Action::Toggle, Action::Confirm, Action::Cancel]
        .iter()
        .filter_map(|a| {
            let k = keymap.key_for(Context::Picker, a)?;
            Some(format!(
                "{k} {}",
                t(s.lang, &format!("hint.{}", action_name(a)))
            ))
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let foot = ratatui::layout::Rect {
        y: inner.y + inner.height.saturating_sub(1),
        height: 1,
        ..inner
    };
    f.render_widget(Paragraph::new(Line::styled(keys, widgets::dim())), foot);
}
