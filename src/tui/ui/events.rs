//! The Events pane: upcoming then past events; the selected event's
//! invitations grouped by reply, with counts.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::widgets::{self, fit_line};
use crate::domain::{Consent, Event, InvitationStatus};
use crate::text::{sanitize, sanitize_multiline};

/// The rows an event's notes take at most in its heading.
const NOTE_ROWS: usize = 3;
use crate::tui::i18n::{t, tf};
use crate::tui::state::{Focus, State};

fn status_style(st: InvitationStatus) -> Style {
    match st {
        InvitationStatus::Accepted | InvitationStatus::Attended => Style::new().fg(Color::Green),
        InvitationStatus::Declined | InvitationStatus::NoShow => Style::new().fg(Color::Red),
        InvitationStatus::Maybe => Style::new().fg(Color::Yellow),
        InvitationStatus::Invited => Style::new().fg(Color::Gray),
    }
}

pub fn draw(f: &mut Frame, s: &State, list: Rect, detail: Rect) {
    let block = Block::bordered().title(format!(" {} ", t(s.lang, "pane.events")));
    let inner = block.inner(list);
    f.render_widget(block, list);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if s.events.rows.is_empty() {
        let key = if s.data.events.is_empty() {
            "empty.events"
        } else {
            "empty.no_match"
        };
        lines.push(Line::styled(t(s.lang, key), widgets::dim()));
    }
    let h = inner.height as usize;
    for pos in s.events.offset..(s.events.offset + h).min(s.events.rows.len()) {
        let e = &s.data.events[s.events.row(pos)];
        let upcoming = e.date.is_none_or(|d| d >= s.today);
        let style = if pos == s.events.selected {
            if s.focus == Focus::List {
                widgets::selected()
            } else {
                widgets::selected_unfocused()
            }
        } else if upcoming {
            Style::new()
        } else {
            widgets::dim()
        };
        let date = e.date.map_or_else(
            || t(s.lang, "events.undated").to_string(),
            |d| d.to_string(),
        );
        // No mark before the row (a `▸` there read as a second cursor):
        // upcoming events come first, past ones dimmed, and the detail
        // says how far off the selected one is. Padded by display width:
        // 日程未定 is 4 characters, 8 columns.
        let head = format!("{} ", crate::text::fit(&date, 10));
        let mut spans = vec![Span::styled(head.clone(), style)];
        spans.extend(
            fit_line(
                &e.name,
                w.saturating_sub(crate::text::width(&head)),
                &[],
                style,
            )
            .spans,
        );
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
    draw_detail(f, s, detail);
}

/// Everything above an event's guests: its name, date and venue, notes and
/// parts; that nobody is invited yet (wrapped); the counts per reply and
/// per part, in as many lines of the detail's width as they need.
struct Heading {
    head: Vec<Line<'static>>,
    empty: Vec<Line<'static>>,
    counts: Vec<Line<'static>>,
}

impl Heading {
    fn new(s: &State, e: &Event, width: u16) -> Heading {
        let w = width as usize;
        // Each piece wrapped by our wrap, so a long name or venue takes the
        // rows it needs (counted in `heights`, nothing below is pushed out)
        // and a wide character never ends over the border.
        let wrapped = |text: &str, style: Style| -> Vec<Line<'static>> {
            widgets::wrap(text, w)
                .into_iter()
                .map(|l| Line::styled(l, style))
                .collect()
        };
        let mut head = wrapped(
            &sanitize(&e.name),
            Style::new().add_modifier(Modifier::BOLD),
        );
        let date = e.date.map_or_else(
            || t(s.lang, "events.undated").to_string(),
            |d| d.to_string(),
        );
        let mut where_ = date;
        // How far off an upcoming event is, in words.
        if let Some(d) = e.date {
            let days = (d - s.today).num_days();
            let when = match days {
                0 => Some(t(s.lang, "events.today").to_string()),
                1 => Some(t(s.lang, "events.tomorrow").to_string()),
                n if n > 1 => Some(tf(s.lang, "events.in_days", &[("n", &n.to_string())])),
                _ => None,
            };
            if let Some(when) = when {
                where_ = format!("{where_} ({when})");
            }
        }
        if !e.venue.is_empty() {
            where_ = format!("{where_} · {}", sanitize(&e.venue));
        }
        head.extend(wrapped(&where_, Style::new()));
        if !e.notes.is_empty() {
            // Line breaks as line breaks; at most NOTE_ROWS rows, so the
            // guests keep the pane.
            let notes = sanitize_multiline(&e.notes.replace("\r\n", "\n"));
            let mut rows = wrapped(&notes, widgets::dim());
            if rows.len() > NOTE_ROWS {
                rows.truncate(NOTE_ROWS);
                let last: String = rows[NOTE_ROWS - 1]
                    .spans
                    .iter()
                    .map(|sp| sp.content.as_ref())
                    .collect();
                rows[NOTE_ROWS - 1] = Line::styled(
                    format!(
                        "{}…",
                        crate::text::fit(&last, w.saturating_sub(1)).trim_end()
                    ),
                    widgets::dim(),
                );
            }
            head.extend(rows);
        }
        if !e.parts.is_empty() {
            let parts: Vec<String> = e.parts.iter().map(|p| sanitize(p).into_owned()).collect();
            let label = format!("{}:", t(s.lang, "field.parts"));
            for (k, row) in widgets::wrap(&format!("{label} {}", parts.join(", ")), w)
                .into_iter()
                .enumerate()
            {
                match row.strip_prefix(&label) {
                    Some(rest) if k == 0 => head.push(Line::from(vec![
                        Span::styled(label.clone(), widgets::label()),
                        Span::raw(rest.to_string()),
                    ])),
                    _ => head.push(Line::raw(row)),
                }
            }
        }
        // Counts per reply, in the order replies come.
        let mut counts: Vec<Span<'static>> = Vec::new();
        for st in InvitationStatus::ALL {
            // Forgotten people still count, anonymously.
            let n = e.invitations.iter().filter(|i| i.status == st).count()
                + e.anonymous.get(&st).copied().unwrap_or(0) as usize;
            if n > 0 {
                counts.push(Span::styled(
                    format!("{} {n}  ", t(s.lang, &format!("status.{}", st.as_str()))),
                    status_style(st),
                ));
            }
        }
        // Wrapped, so a narrow column or a longer translation shows all of
        // it (by our wrap: ratatui's lets a wide character end past the edge).
        let empty = match counts.is_empty() {
            true => widgets::wrap(t(s.lang, "empty.invitations"), width as usize)
                .into_iter()
                .map(|l| Line::styled(l, widgets::dim()))
                .collect(),
            false => Vec::new(),
        };
        // How many came to each part, for the night's head count (once
        // anyone came: the parts are listed above); forgotten people too.
        let came: Vec<usize> = e
            .parts
            .iter()
            .map(|p| {
                e.invitations
                    .iter()
                    .filter(|i| {
                        i.status == InvitationStatus::Attended && i.attended_parts.contains(p)
                    })
                    .count()
                    + e.anonymous_parts.get(p).copied().unwrap_or(0) as usize
            })
            .collect();
        if came.iter().any(|&n| n > 0) {
            for (p, n) in e.parts.iter().zip(came) {
                counts.push(Span::styled(
                    format!("{} {n}  ", sanitize(p)),
                    Style::new().fg(Color::Green),
                ));
            }
        }
        // The counts fill as many lines as they need, never split.
        let mut count_lines: Vec<Line> = Vec::new();
        for span in counts {
            match count_lines.last_mut() {
                Some(last) if last.width() + span.width() <= width as usize => last.push_span(span),
                _ => count_lines.push(Line::from(span)),
            }
        }
        Heading {
            head,
            empty,
            counts: count_lines,
        }
    }

    /// The rows the head, the empty note and the counts take in `area`
    /// (as many as there are, from the top).
    fn heights(&self, area: Rect) -> [u16; 3] {
        let mut left = area.height;
        let mut take = |n: usize| {
            let n = (n as u16).min(left);
            left -= n;
            n
        };
        let head = take(self.head.len());
        let empty = take(self.empty.len());
        let counts = take(self.counts.len());
        [head, empty, counts]
    }
}

/// How many guests the selected event's detail shows at once, in the
/// detail area `area` (for the app to keep the selected one on screen).
pub fn guest_rows(s: &State, area: Rect) -> usize {
    let inner = Block::bordered().inner(area);
    let Some(ei) = s.events.current() else {
        return inner.height as usize;
    };
    let heading = Heading::new(s, &s.data.events[ei], inner.width);
    let used: u16 = heading.heights(inner).iter().sum();
    inner.height.saturating_sub(used) as usize
}

fn draw_detail(f: &mut Frame, s: &State, area: Rect) {
    let border = if s.focus == Focus::Detail {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new()
    };
    let block = Block::bordered().border_style(border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(ei) = s.events.current() else { return };
    let e = &s.data.events[ei];
    let heading = Heading::new(s, e, inner.width);
    let [head_h, empty_h, counts_h] = heading.heights(inner);
    let mut rest = inner;
    let mut next = |h: u16| {
        let r = Rect { height: h, ..rest };
        rest.y += h;
        rest.height -= h;
        r
    };
    f.render_widget(Paragraph::new(heading.head), next(head_h));
    f.render_widget(Paragraph::new(heading.empty), next(empty_h));
    f.render_widget(Paragraph::new(heading.counts), next(counts_h));
    let mut out = Vec::new();
    let h = rest.height as usize;
    let w = rest.width as usize;
    // The parts each guest came to, in a column at the right, a slot per
    // part; a third of the row at most (names short: their first letters).
    let labels = part_labels(&e.parts, w / 3);
    let parts_w = labels
        .iter()
        .map(|l| crate::text::width(l) + 1)
        .sum::<usize>();
    // The replies in a column as wide as the widest reply's name (by
    // display width: 出席予定 is 8 columns, 4 characters) and two spaces.
    let label_col = InvitationStatus::ALL
        .iter()
        .map(|st| crate::text::width(t(s.lang, &format!("status.{}", st.as_str()))))
        .max()
        .unwrap_or(0)
        + 2;
    for pos in s.invitations.offset..(s.invitations.offset + h).min(s.invitations.rows.len()) {
        let inv = &e.invitations[s.invitations.row(pos)];
        let selected = pos == s.invitations.selected && s.focus == Focus::Detail;
        let base = if selected {
            widgets::selected()
        } else {
            Style::new()
        };
        let label = crate::text::fit(
            t(s.lang, &format!("status.{}", inv.status.as_str())),
            label_col,
        );
        let (name, consent_no) = match s.person(&inv.person) {
            Some(p) => (p.name.to_string(), p.consent == Consent::No),
            None => (inv.person.clone(), false),
        };
        let mut spans = vec![Span::styled(
            label.clone(),
            base.patch(status_style(inv.status)),
        )];
        let name_w = w.saturating_sub(crate::text::width(&label) + 2 + parts_w);
        spans.extend(fit_line(&name, name_w, &[], base).spans);
        if consent_no {
            spans.push(Span::styled(" ✗", base.patch(Style::new().fg(Color::Red))));
        } else if parts_w > 0 {
            spans.push(Span::styled("  ", base));
        }
        let attended = inv.status == InvitationStatus::Attended;
        for (part, l) in e.parts.iter().zip(&labels) {
            let text = if attended && inv.attended_parts.contains(part) {
                l.clone()
            } else {
                " ".repeat(crate::text::width(l))
            };
            spans.push(Span::styled(
                format!(" {text}"),
                base.patch(status_style(InvitationStatus::Attended)),
            ));
        }
        out.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(out), rest);
}

/// How the invitation rows name the event's parts: whole when they fit in
/// `room` columns (with a space before each), else each by its first
/// letter (一次会 二次会: 一 二) when those differ, else by number.
fn part_labels(parts: &[String], room: usize) -> Vec<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let names: Vec<String> = parts.iter().map(|p| sanitize(p).into_owned()).collect();
    let need = |ls: &[String]| ls.iter().map(|l| crate::text::width(l) + 1).sum::<usize>();
    if need(&names) <= room {
        return names;
    }
    let firsts: Vec<String> = names
        .iter()
        .map(|n| n.graphemes(true).next().unwrap_or("?").to_string())
        .collect();
    let distinct = firsts
        .iter()
        .enumerate()
        .all(|(i, f)| !firsts[..i].contains(f));
    if distinct {
        firsts
    } else {
        (1..=parts.len()).map(|i| i.to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::part_labels;

    #[test]
    fn parts_are_named_whole_when_they_fit_else_by_first_letter_or_number() {
        let parts = ["一次会".to_string(), "二次会".to_string()];
        assert_eq!(part_labels(&parts, 17), ["一次会", "二次会"]);
        assert_eq!(part_labels(&parts, 11), ["一", "二"]);
        let same = ["Dinner".to_string(), "Drinks".to_string()];
        assert_eq!(part_labels(&same, 5), ["1", "2"]);
        assert!(part_labels(&[], 0).is_empty());
    }
}
