//! The add/edit form: one line per field, the focused one showing its
//! cursor (scrolled sideways so the cursor is always on screen, measured in
//! terminal cells), notes over several lines, choices as their labels.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_segmentation::UnicodeSegmentation;

use super::action_name;
use super::widgets::{self, centered, fit_line};
use crate::text::{sanitize, width};
use crate::tui::action::Action;
use crate::tui::i18n::{Lang, t, tf};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::state::{Field, FieldKey, Form, FormKind, State, discard_question};

/// Lines a note shows when not focused, and at most when focused.
const NOTES_PREVIEW: usize = 2;
const NOTES_MAX: usize = 8;

/// One drawn piece of a value: a grapheme as shown, the cursor, or a line
/// break (notes only).
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    Cursor,
    Break,
}

impl Cell {
    fn width(&self) -> usize {
        match self {
            Cell::Text(s) => width(s),
            Cell::Cursor => 1,
            Cell::Break => 0,
        }
    }
}

/// The value as cells, with the cursor at byte `cursor` when given. Line
/// breaks (`\n`, `\r\n`) break the line in notes and show as `↵` elsewhere;
/// anything else unsafe shows escaped, as everywhere.
fn cells(value: &str, cursor: Option<usize>, multiline: bool) -> Vec<Cell> {
    let mut out = Vec::new();
    for (i, g) in value.grapheme_indices(true) {
        if cursor == Some(i) {
            out.push(Cell::Cursor);
        }
        out.push(match g {
            "\n" | "\r\n" | "\r" if multiline => Cell::Break,
            "\n" | "\r\n" | "\r" => Cell::Text("↵".into()),
            g => Cell::Text(sanitize(g).into_owned()),
        });
    }
    if cursor == Some(value.len()) {
        out.push(Cell::Cursor);
    }
    out
}

/// Cells as spans: text in `style`, the cursor in yellow.
fn spans(cells: &[Cell], style: Style) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut run = String::new();
    for c in cells {
        match c {
            Cell::Text(s) => run.push_str(s),
            Cell::Cursor => {
                if !run.is_empty() {
                    out.push(Span::styled(std::mem::take(&mut run), style));
                }
                out.push(Span::styled("▏", cursor_style()));
            }
            Cell::Break => {}
        }
    }
    if !run.is_empty() {
        out.push(Span::styled(run, style));
    }
    out
}

fn cursor_style() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

fn total(cells: &[Cell]) -> usize {
    cells.iter().map(Cell::width).sum()
}

/// One line of exactly `w` cells. Too long, it is cut with `…`: at the end,
/// or, when the cursor would fall off the right, at the start, so the text
/// just typed and the cursor are what shows.
fn one_line(cells: &[Cell], w: usize, style: Style) -> Vec<Span<'static>> {
    let pad = |used: usize| Span::styled(" ".repeat(w.saturating_sub(used)), style);
    if total(cells) <= w {
        let mut out = spans(cells, style);
        out.push(pad(total(cells)));
        return out;
    }
    let room = w.saturating_sub(1);
    let cursor = cells.iter().position(|c| *c == Cell::Cursor);
    let upto_cursor = cursor.map_or(0, |k| total(&cells[..=k]));
    if upto_cursor <= room {
        // The start, cut at the end.
        let mut used = 0;
        let n = cells
            .iter()
            .take_while(|c| {
                used += c.width();
                used <= room
            })
            .count();
        let shown = total(&cells[..n]);
        let mut out = spans(&cells[..n], style);
        out.push(pad(shown + 1));
        out.push(Span::styled("…", widgets::dim()));
        return out;
    }
    // Ending at the cursor: `…` in front, and behind it when more follows.
    let k = cursor.unwrap_or(cells.len() - 1);
    let more = k + 1 < cells.len();
    let room = w.saturating_sub(1 + usize::from(more));
    let mut start = k + 1;
    let mut used = 0;
    while start > 0 && used + cells[start - 1].width() <= room {
        start -= 1;
        used += cells[start].width();
    }
    let mut out = vec![Span::styled("…", widgets::dim())];
    // A wide character that did not fit leaves a blank cell.
    out.push(pad(w.saturating_sub(room - used)));
    out.extend(spans(&cells[start..=k], style));
    if more {
        out.push(Span::styled("…", widgets::dim()));
    }
    out
}

/// Cells in lines of at most `w` cells, broken at line breaks and, where a
/// line is full, after its last space (inside a word when it has none).
fn wrap(cells: &[Cell], w: usize) -> Vec<Vec<Cell>> {
    let w = w.max(1);
    let mut lines = Vec::new();
    let mut line: Vec<Cell> = Vec::new();
    for c in cells {
        if *c == Cell::Break {
            lines.push(std::mem::take(&mut line));
            continue;
        }
        while total(&line) + c.width() > w && !line.is_empty() {
            let space = line.iter().rposition(|x| *x == Cell::Text(" ".into()));
            match space {
                Some(sp) if sp + 1 < line.len() => {
                    let rest = line.split_off(sp + 1);
                    lines.push(std::mem::replace(&mut line, rest));
                }
                _ => lines.push(std::mem::take(&mut line)),
            }
        }
        line.push(c.clone());
    }
    lines.push(line);
    lines
}

/// A choice field: its label, or, focused, every label with the chosen one
/// marked.
fn choice(field: &Field, focused: bool, lang: Lang, w: usize) -> Vec<Span<'static>> {
    let label = |v: &str| t(lang, &field.key.choice_label(v)).to_string();
    let values = field.key.choices().unwrap_or_default();
    let mut out = Vec::new();
    let mut used = 0;
    if focused {
        for v in values {
            let text = format!(" {} ", label(v));
            used += width(&text) + 1;
            let style = if *v == field.value {
                widgets::selected()
            } else {
                widgets::dim()
            };
            out.push(Span::styled(text, style));
            out.push(Span::raw(" "));
        }
    } else {
        let text = label(&field.value);
        used = width(&text);
        out.push(Span::raw(text));
    }
    out.push(Span::raw(" ".repeat(w.saturating_sub(used))));
    out
}

pub fn form(f: &mut Frame, s: &State, keymap: &Keymap, form: &Form) {
    let screen = f.area();
    let area = centered(
        screen,
        70.min(screen.width),
        screen.height.saturating_sub(2),
    );
    widgets::clear(f, area);
    let title = match form.kind {
        FormKind::Person(None) => t(s.lang, "form.new_person"),
        FormKind::Person(Some(_)) => t(s.lang, "form.edit_person"),
        FormKind::Cohort(None) => t(s.lang, "form.new_cohort"),
        FormKind::Cohort(Some(_)) => t(s.lang, "form.edit_cohort"),
        FormKind::Event(None) => t(s.lang, "form.new_event"),
        FormKind::Event(Some(_)) => t(s.lang, "form.edit_event"),
    };
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let label_w = 14;
    let value_w = (inner.width as usize).saturating_sub(label_w + 1);
    // One line per field (notes: several), plus one per error and per
    // stint heading.
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0;
    for (i, field) in form.fields.iter().enumerate() {
        if let FieldKey::Joined(n) = field.key {
            lines.push(Line::styled(
                tf(s.lang, "form.stint", &[("n", &(n + 1).to_string())]),
                widgets::dim(),
            ));
        }
        let focused = i == form.focus && !form.asking_discard;
        if i == form.focus {
            focus_line = lines.len();
        }
        let label_style = if i == form.focus {
            widgets::selected()
        } else {
            widgets::label()
        };
        let label = fit_line(t(s.lang, field.key.label()), label_w, &[], label_style).spans;
        let vstyle = if field.error.is_some() {
            Style::new().fg(Color::Red)
        } else {
            Style::new()
        };
        let cursor = focused.then_some(field.cursor);
        let rows: Vec<Vec<Span<'static>>> = if field.key.choices().is_some() {
            vec![choice(field, focused, s.lang, value_w)]
        } else if field.key.is_multiline() {
            let wrapped = wrap(&cells(&field.value, cursor, true), value_w);
            let (from, to) = if focused {
                let at = wrapped
                    .iter()
                    .position(|l| l.contains(&Cell::Cursor))
                    .unwrap_or(0);
                let from = (at + 1).saturating_sub(NOTES_MAX);
                focus_line += at - from;
                (from, (from + NOTES_MAX).min(wrapped.len()))
            } else {
                (0, NOTES_PREVIEW.min(wrapped.len()))
            };
            let cut = to < wrapped.len();
            (from..to)
                .map(|k| {
                    let l = &wrapped[k];
                    // The last line shown of a longer note ends in `…`.
                    let mut row = if k + 1 == to && cut {
                        let mut l = l.clone();
                        l.push(Cell::Text("…".into()));
                        one_line(&l, value_w, vstyle)
                    } else {
                        one_line(l, value_w, vstyle)
                    };
                    if k == from && from > 0 {
                        row.insert(0, Span::styled("…", widgets::dim()));
                        row = one_line_of_spans(row, value_w);
                    }
                    row
                })
                .collect()
        } else {
            vec![one_line(
                &cells(&field.value, cursor, false),
                value_w,
                vstyle,
            )]
        };
        for (k, row) in rows.into_iter().enumerate() {
            let mut spans = if k == 0 {
                label.clone()
            } else {
                vec![Span::raw(" ".repeat(label_w))]
            };
            spans.push(Span::raw(" "));
            spans.extend(row);
            lines.push(Line::from(spans));
        }
        if let Some(e) = &field.error {
            lines.push(Line::styled(
                format!("{:label_w$} ⚠ {}", "", sanitize(e)),
                widgets::error(),
            ));
        } else if focused && let Some(hint) = field_hint(s.lang, keymap, field.key) {
            lines.push(Line::styled(
                format!("{:label_w$} {hint}", ""),
                widgets::dim(),
            ));
        }
    }
    let body_h = inner.height.saturating_sub(1) as usize;
    let scroll = focus_line.saturating_sub(body_h.saturating_sub(3));
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), body);
    let foot = Rect {
        y: inner.y + inner.height.saturating_sub(1),
        height: 1,
        ..inner
    };
    f.render_widget(Paragraph::new(footer(s, keymap, form)), foot);
}

/// Spans cut to `w` cells (for a row that had `…` put in front).
fn one_line_of_spans(row: Vec<Span<'static>>, w: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for sp in row {
        let mut text = String::new();
        for g in sp.content.graphemes(true) {
            if used + width(g) > w {
                break;
            }
            used += width(g);
            text.push_str(g);
        }
        out.push(Span::styled(text, sp.style));
    }
    out.push(Span::raw(" ".repeat(w - used)));
    out
}

/// The keys of the form; the question when Esc asked whether to discard.
fn footer(s: &State, keymap: &Keymap, form: &Form) -> Line<'static> {
    if form.asking_discard {
        let keys = widgets::key_hints(
            keymap,
            Context::Confirm,
            s.lang,
            [
                (Action::Confirm, "hint.discard"),
                (Action::Cancel, "hint.keep_editing"),
            ],
        );
        return Line::styled(
            format!("{} {keys}", discard_question(form)),
            Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        );
    }
    let changed = form.is_changed();
    let hints = [
        Action::NextField,
        Action::Save,
        Action::AddStint,
        Action::Cancel,
    ]
    .into_iter()
    .filter(|a| matches!(form.kind, FormKind::Person(_)) || *a != Action::AddStint)
    .map(|a| {
        // Esc on a changed form asks first; say so.
        let hint = if a == Action::Cancel && changed {
            "hint.cancel_asks".to_string()
        } else {
            format!("hint.{}", action_name(&a))
        };
        (a, hint)
    });
    let keys = widgets::key_hints(keymap, Context::Form, s.lang, hints);
    Line::styled(keys, widgets::dim())
}

/// The line under the focused field: what it takes, and how.
fn field_hint(lang: Lang, keymap: &Keymap, key: FieldKey) -> Option<String> {
    let keys = |actions: &[Action]| {
        actions
            .iter()
            .filter_map(|a| keymap.key_for(Context::Form, a))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let plain = match key {
        FieldKey::Emails | FieldKey::Phones | FieldKey::Links | FieldKey::Tags => "form.hint.list",
        FieldKey::EventParts => "form.hint.parts",
        FieldKey::Consent | FieldKey::Closeness => {
            let mut k = keys(&[Action::CursorLeft, Action::CursorRight]);
            k.push_str(" Space");
            return Some(tf(lang, "form.hint.choice", &[("keys", &k)]));
        }
        FieldKey::Notes | FieldKey::EventNotes => {
            let k = keymap
                .bindings(Context::Form)
                .into_iter()
                .find(|(a, _)| *a == Action::NewLine)?
                .1
                .join(" / ");
            return Some(tf(lang, "form.hint.notes", &[("keys", &k)]));
        }
        FieldKey::ConsentDate
        | FieldKey::LastContacted
        | FieldKey::EventDate
        | FieldKey::Joined(_)
        | FieldKey::Left(_) => "form.hint.date",
        _ => return None,
    };
    Some(t(lang, plain).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(spans: &[Span]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_long_value_scrolls_to_the_cursor_by_cells() {
        // 30 kanji are 60 cells; 20 cells show the end, typed last, and the cursor.
        let v = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末";
        let row = one_line(&cells(v, Some(v.len()), false), 20, Style::new());
        let shown = text(&row);
        assert_eq!(width(&shown), 20, "{shown:?}");
        assert!(shown.starts_with('…'), "{shown:?}");
        assert!(shown.ends_with("風来末▏"), "{shown:?}");
        // The cursor at the start shows the start, cut at the end.
        let row = one_line(&cells(v, Some(0), false), 20, Style::new());
        let shown = text(&row);
        assert_eq!(width(&shown), 20, "{shown:?}");
        assert!(shown.starts_with("▏寿限無"), "{shown:?}");
        assert!(shown.ends_with('…'), "{shown:?}");
        // In the middle: the cursor shows, with `…` on both sides.
        let mid = v.char_indices().nth(20).unwrap().0;
        let shown = text(&one_line(&cells(v, Some(mid), false), 20, Style::new()));
        assert_eq!(width(&shown), 20, "{shown:?}");
        assert!(shown.contains("▏"), "{shown:?}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown:?}");
        // An odd width: a wide character never splits.
        let shown = text(&one_line(&cells(v, Some(v.len()), false), 19, Style::new()));
        assert_eq!(width(&shown), 19, "{shown:?}");
    }

    #[test]
    fn notes_wrap_at_spaces_and_line_breaks() {
        let c = cells("one two three\r\nfour", None, true);
        let lines: Vec<String> = wrap(&c, 8)
            .iter()
            .map(|l| text(&spans(l, Style::new())))
            .collect();
        assert_eq!(lines, ["one two ", "three", "four"]);
        // Outside notes a line break shows as ↵, never as an escape.
        let c = cells("a\r\nb", None, false);
        assert_eq!(text(&spans(&c, Style::new())), "a↵b");
    }
}
