//! Popups drawn over the panes: help, confirmation, the people picker (the
//! forms are in form.rs).

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::action_name;
use super::widgets::{self, centered, fit_line};
use crate::domain::Consent;
use crate::search::query::FILTER_KEYS;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::i18n::{t, tf};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::state::{PickFor, Picker, State};

/// Every binding of the context under the popup, read from the keymap;
/// then how search works. Wrapped by display width, a description's later
/// rows under its first (not under the keys), and scrolled no further than
/// its last line.
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
    let block = Block::bordered()
        .title(format!(" {} ", t(s.lang, "help.heading")))
        .border_style(Style::new().fg(Color::Cyan));
    let w = usize::from(block.inner(area).width);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let report = s.report_takes_keys();
    let context = match report {
        true => t(s.lang, "help.report.context"),
        false => t(s.lang, &format!("context.{}", ctx.name())),
    };
    let title = tf(s.lang, "help.title", &[("context", context)]);
    lines.extend(
        widgets::wrap(&title, w)
            .into_iter()
            .map(|l| Line::styled(l, bold)),
    );
    let bindings: Vec<(String, &str)> = match report {
        true => report_bindings(keymap, ctx)
            .into_iter()
            .map(|(keys, text)| (keys, t(s.lang, text)))
            .collect(),
        false => keymap
            .bindings(ctx)
            .into_iter()
            .map(|(action, keys)| {
                let text = t(s.lang, &format!("action.{}", action_name(&action)));
                (keys.join(", "), text)
            })
            .collect(),
    };
    for (keys, text) in bindings {
        described(&mut lines, &keys, 18, text, w);
    }
    lines.push(Line::raw(""));
    lines.extend(
        widgets::wrap(t(s.lang, "help.search"), w)
            .into_iter()
            .map(|l| Line::styled(l, bold)),
    );
    lines.extend(
        widgets::wrap(t(s.lang, "help.search_text"), w)
            .into_iter()
            .map(Line::raw),
    );
    for k in FILTER_KEYS {
        let text = t(
            s.lang,
            &format!("help.filter.{}", k.split(':').next().unwrap_or("")),
        );
        described(&mut lines, &format!("  {k}"), 22, text, w);
    }
    let height = usize::from(block.inner(area).height);
    let room = lines.len().saturating_sub(height);
    s.help_room.set(u16::try_from(room).unwrap_or(u16::MAX));
    let scroll = scroll.min(room);
    // Where there is more than shows, the bottom border says how to see it.
    let block = if room > 0 {
        let more = match scroll {
            0 => "help.more_below",
            n if n >= room => "help.more_above",
            _ => "help.more",
        };
        block.title_bottom(Line::styled(
            format!(" {} ", t(s.lang, more)),
            widgets::dim(),
        ))
    } else {
        block
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
}

/// What works over the balance report, as `update::balance_action` takes
/// it: the moving keys scroll it, `b` and the keys that go back close it,
/// `s` suggests; the panes, help and quit as anywhere.
const REPORT_KEYS: &[(&[Action], &str)] = &[
    (&[Action::Down], "help.report.down"),
    (&[Action::Up], "help.report.up"),
    (&[Action::PageDown], "help.report.page_down"),
    (&[Action::PageUp], "help.report.page_up"),
    (&[Action::Top], "help.report.top"),
    (&[Action::Bottom], "help.report.bottom"),
    (&[Action::Balance, Action::Back], "help.report.close"),
    (&[Action::Suggest], "action.suggest"),
    (&[Action::NextPane], "action.next_pane"),
    (&[Action::PrevPane], "action.prev_pane"),
    (&[Action::PanePeople], "action.pane_people"),
    (&[Action::PaneCohorts], "action.pane_cohorts"),
    (&[Action::PaneEvents], "action.pane_events"),
    (&[Action::Help], "action.help"),
    (&[Action::Quit], "action.quit"),
];

/// The report's keys (as `ctx`, the list under it, binds them) and the
/// catalogue key of what each does; an action bound to nothing is left out.
fn report_bindings(keymap: &Keymap, ctx: Context) -> Vec<(String, &'static str)> {
    REPORT_KEYS
        .iter()
        .filter_map(|(actions, text)| {
            let mut keys: Vec<String> = Vec::new();
            for k in actions.iter().flat_map(|a| keymap.keys_for(ctx, a)) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            (!keys.is_empty()).then(|| (keys.join(", "), *text))
        })
        .collect()
}

/// `keys` in a column of `col` cells (wider keys take their own row), then
/// `text` wrapped in the rest of the `w` cells, its later rows indented.
fn described(lines: &mut Vec<Line<'static>>, keys: &str, col: usize, text: &str, w: usize) {
    let keys = sanitize(keys).into_owned();
    let kw = crate::text::width(&keys);
    let (col, first) = if col + 8 > w {
        // Too narrow for two columns: the text under the keys.
        lines.push(Line::styled(keys, widgets::label()));
        (2.min(w.saturating_sub(1)), None)
    } else if kw >= col {
        lines.push(Line::styled(keys, widgets::label()));
        (col, None)
    } else {
        (col, Some(keys))
    };
    let mut first = first;
    for row in widgets::wrap(text, w - col) {
        let lead = match first.take() {
            Some(k) => Span::styled(crate::text::fit(&k, col), widgets::label()),
            None => Span::raw(" ".repeat(col)),
        };
        lines.push(Line::from(vec![lead, Span::raw(row)]));
    }
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
    let foot = ratatui::layout::Rect {
        y: inner.y + inner.height.saturating_sub(1),
        height: 1,
        ..inner
    };
    // Esc with people chosen asks in the last line, as a changed form does.
    if p.asking_drop {
        let keys = widgets::key_hints(
            keymap,
            Context::Confirm,
            s.lang,
            [
                (Action::Confirm, "hint.drop"),
                (Action::Cancel, "hint.keep_choosing"),
            ],
        );
        let n = p.chosen.len().to_string();
        let question = tf(s.lang, "confirm.drop_chosen", &[("n", &n)]);
        f.render_widget(
            Paragraph::new(Line::styled(
                crate::text::fit(&format!("{question} {keys}"), w),
                Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            )),
            foot,
        );
        return;
    }
    let keys = widgets::key_hints(
        keymap,
        Context::Picker,
        s.lang,
        [Action::Toggle, Action::Confirm, Action::Cancel]
            .map(|a| (a.clone(), format!("hint.{}", action_name(&a)))),
    );
    f.render_widget(Paragraph::new(Line::styled(keys, widgets::dim())), foot);
}
