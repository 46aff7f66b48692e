//! The Cohorts pane: cohorts with member counts, the selected cohort's
//! members, and the alumni by first joined year.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

use super::widgets::{self, fit_line};
use crate::text::width;
use crate::tui::i18n::{t, tf};
use crate::tui::state::{Focus, State};

pub fn draw(f: &mut Frame, s: &State, list: Rect, detail: Rect) {
    let block = Block::bordered().title(format!(" {} ", t(s.lang, "pane.cohorts")));
    let inner = block.inner(list);
    f.render_widget(block, list);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if s.cohorts.rows.is_empty() {
        let key = if s.data.cohorts.is_empty() {
            "empty.cohorts"
        } else {
            "empty.no_match"
        };
        lines.push(Line::styled(t(s.lang, key), widgets::dim()));
    }
    let h = inner.height as usize;
    for pos in s.cohorts.offset..(s.cohorts.offset + h).min(s.cohorts.rows.len()) {
        let row = s.cohorts.row(pos);
        let c = s.cohort(row);
        let style = if pos == s.cohorts.selected {
            if s.focus == Focus::List {
                widgets::selected()
            } else {
                widgets::selected_unfocused()
            }
        } else if s.is_generation(row) {
            // Computed from stints: told apart from the hand-made ones.
            Style::new().fg(Color::Cyan)
        } else {
            Style::new()
        };
        let count = format!(" {}", s.member_count(row));
        let name_w = w.saturating_sub(width(&count));
        let mut spans = fit_line(&c.name, name_w, &[], style).spans;
        spans.push(Span::styled(count, style));
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);

    let [members_area, chart_area] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Min(6)]).areas(detail);
    draw_members(f, s, members_area);
    draw_chart(f, s, chart_area);
}

fn draw_members(f: &mut Frame, s: &State, area: Rect) {
    let title = match s.cohorts.current() {
        Some(c) => tf(
            s.lang,
            "cohorts.members",
            &[("n", &s.member_count(c).to_string())],
        ),
        None => String::new(),
    };
    let border = if s.focus == Focus::Detail {
        Style::new().fg(Color::Cyan)
    } else {
        Style::new()
    };
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let Some(c) = s.cohorts.current() else { return };
    let w = inner.width as usize;
    let h = inner.height as usize;
    if s.member_count(c) == 0 {
        // Wrapped, so a narrow column or a longer translation shows all of
        // it (by our wrap: ratatui's lets a wide character end past the edge).
        let empty: Vec<Line> = widgets::wrap(t(s.lang, "empty.members"), w)
            .into_iter()
            .map(|l| Line::styled(l, widgets::dim()))
            .collect();
        f.render_widget(Paragraph::new(empty), inner);
        return;
    }
    let mut lines = Vec::new();
    for pos in s.members.offset..(s.members.offset + h).min(s.members.rows.len()) {
        let id = s.member_id(c, s.members.row(pos));
        let (name, year) = match s.person(id) {
            Some(p) => (
                p.name.to_string(),
                p.first_joined()
                    .map(|d| d.year().to_string())
                    .unwrap_or_default(),
            ),
            None => (id.to_string(), String::new()),
        };
        let style = if pos == s.members.selected && s.focus == Focus::Detail {
            widgets::selected()
        } else {
            Style::new()
        };
        let mut spans = fit_line(&name, w.saturating_sub(5), &[], style).spans;
        spans.push(Span::styled(format!(" {year:>4}"), style));
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Alumni by the year they first joined: the generations at a glance.
fn draw_chart(f: &mut Frame, s: &State, area: Rect) {
    let by_year = &s.joined_by_year;
    let block = Block::bordered().title(format!(" {} ", t(s.lang, "cohorts.by_year")));
    let inner = block.inner(area);
    if by_year.is_empty() {
        f.render_widget(
            Paragraph::new(Line::styled(t(s.lang, "empty.chart"), widgets::dim())).block(block),
            area,
        );
        return;
    }
    let (first, last) = (
        *by_year.keys().next().unwrap_or(&0),
        *by_year.keys().last().unwrap_or(&0),
    );
    // Every year gets a bar, empty years too, so gaps between generations show.
    let years: Vec<i32> = (first..=last).collect();
    let n = years.len() as u16;
    let avail = inner.width;
    let (bar_w, gap) = if n * 3 <= avail {
        (2, 1)
    } else if n * 2 <= avail {
        (1, 1)
    } else {
        (1, 0)
    };
    // Years shown as labels only when the bars are wide enough for them.
    let bars: Vec<Bar> = years
        .iter()
        .map(|y| {
            let v = by_year.get(y).copied().unwrap_or(0);
            let bar = Bar::default().value(v).text_value(String::new());
            if bar_w >= 2 {
                bar.label(Line::raw(format!("{:02}", y % 100)))
            } else {
                bar
            }
        })
        .collect();
    let [chart, axis] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    f.render_widget(block, area);
    f.render_widget(
        BarChart::default()
            .bar_width(bar_w)
            .bar_gap(gap)
            .bar_style(Style::new().fg(Color::Cyan))
            .data(BarGroup::default().bars(&bars)),
        chart,
    );
    let max = by_year.values().max().copied().unwrap_or(0);
    let axis_text = format!("{first} – {last}   max {max}");
    f.render_widget(
        Paragraph::new(Line::styled(axis_text, widgets::dim())),
        axis,
    );
}
