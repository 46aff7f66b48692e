//! The People pane: a table of alumni, and everything about the selected one.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::widgets::{self, fit_line};
use crate::domain::{Closeness, Consent, Person};
use crate::search;
use crate::tui::i18n::{Lang, t};
use crate::tui::state::{Pane, State};

#[derive(Clone, Copy, PartialEq)]
enum Col {
    Mark,
    Name,
    Reading,
    Year,
    Dept,
    Company,
    Closeness,
}

/// Columns that fit `width`, most important first, with their widths.
fn columns(width: usize) -> Vec<(Col, usize)> {
    let wanted = [
        (Col::Mark, 1, 0),
        (Col::Name, 14, 4),
        (Col::Year, 4, 0),
        (Col::Reading, 10, 3),
        (Col::Closeness, 8, 0),
        (Col::Dept, 6, 1),
        (Col::Company, 8, 2),
    ];
    let mut chosen: Vec<(Col, usize, usize)> = Vec::new();
    let mut used = 0;
    for (c, min, grow) in wanted {
        let need = min + usize::from(!chosen.is_empty());
        if used + need <= width {
            used += need;
            chosen.push((c, min, grow));
        }
    }
    let spare = width - used;
    let weights: usize = chosen.iter().map(|c| c.2).sum::<usize>().max(1);
    let mut out: Vec<(Col, usize)> = chosen
        .iter()
        .map(|&(c, min, grow)| (c, min + spare * grow / weights))
        .collect();
    // Give rounding leftovers to the name.
    let total: usize = out.iter().map(|c| c.1).sum::<usize>() + out.len().saturating_sub(1);
    if let Some(n) = out.iter_mut().find(|c| c.0 == Col::Name) {
        n.1 += width.saturating_sub(total);
    }
    out
}

pub(super) fn closeness_label(lang: Lang, c: Closeness) -> &'static str {
    t(lang, &format!("closeness.{}", c.as_str()))
}

pub fn draw(f: &mut Frame, s: &State, list: Rect, detail: Rect) {
    let focused = s.pane == Pane::People;
    let title = format!(" {} ", t(s.lang, "pane.people"));
    let block = Block::bordered().title(title);
    let inner = block.inner(list);
    f.render_widget(block, list);
    let cols = columns(inner.width as usize);
    let mut lines = Vec::with_capacity(inner.height as usize);
    // Header.
    let header: Vec<Span> = cols
        .iter()
        .enumerate()
        .flat_map(|(i, (c, w))| {
            let label = match c {
                Col::Mark => "",
                Col::Name => t(s.lang, "col.name"),
                Col::Reading => t(s.lang, "col.reading"),
                Col::Year => t(s.lang, "col.joined"),
                Col::Dept => t(s.lang, "col.dept"),
                Col::Company => t(s.lang, "col.company"),
                Col::Closeness => t(s.lang, "col.closeness"),
            };
            let sep = (i > 0).then(|| Span::raw(" "));
            sep.into_iter()
                .chain(fit_line(label, *w, &[], widgets::label()).spans)
        })
        .collect();
    lines.push(Line::from(header));
    let rows = inner.height.saturating_sub(1) as usize;
    if s.people.rows.is_empty() {
        let key = if s.data.people.is_empty() {
            "empty.people"
        } else {
            "empty.no_match"
        };
        lines.push(Line::styled(t(s.lang, key), widgets::dim()));
    }
    let query = s.query(Pane::People);
    for pos in s.people.offset..(s.people.offset + rows).min(s.people.rows.len()) {
        let p = &s.data.people[s.people.row(pos)];
        let base = if pos == s.people.selected && focused {
            widgets::selected()
        } else {
            Style::new()
        };
        lines.push(row(s.lang, p, &cols, base, &query.text));
    }
    f.render_widget(Paragraph::new(lines), inner);
    if let Some(p) = s.selected_person() {
        super::detail::draw(f, s, p, detail);
    } else {
        f.render_widget(Block::bordered(), detail);
    }
}

fn row(lang: Lang, p: &Person, cols: &[(Col, usize)], base: Style, query: &str) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (c, w)) in cols.iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled(" ", base));
        }
        let (text, hl, style): (String, Vec<usize>, Style) = match c {
            Col::Mark => {
                let mark = if p.consent == Consent::No { "✗" } else { " " };
                (
                    mark.to_string(),
                    vec![],
                    base.patch(Style::new().fg(Color::Red)),
                )
            }
            Col::Name => {
                let text = if p.nickname.is_empty() {
                    p.name.to_string()
                } else {
                    format!("{} ({})", p.name, p.nickname)
                };
                let hl = if query.is_empty() {
                    vec![]
                } else {
                    search::highlight(&text, query)
                };
                (text, hl, base)
            }
            Col::Reading => {
                let hl = if query.is_empty() {
                    vec![]
                } else {
                    search::highlight(&p.reading, query)
                };
                (p.reading.to_string(), hl, base)
            }
            Col::Year => (
                p.first_joined()
                    .map(|d| d.year().to_string())
                    .unwrap_or_default(),
                vec![],
                base,
            ),
            Col::Dept => (
                p.last_stint()
                    .map(|s| s.department)
                    .unwrap_or_default()
                    .to_string(),
                vec![],
                base,
            ),
            Col::Company => (p.company.to_string(), vec![], base),
            Col::Closeness => (closeness_label(lang, p.closeness).to_string(), vec![], base),
        };
        spans.extend(fit_line(&text, *w, &hl, style).spans);
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fill_the_width_and_drop_the_least_important() {
        for w in [20, 44, 60, 100, 200] {
            let cols = columns(w);
            let total: usize = cols.iter().map(|c| c.1).sum::<usize>() + cols.len() - 1;
            assert_eq!(total, w, "width {w}");
        }
        assert!(!columns(30).iter().any(|c| c.0 == Col::Company));
        assert!(columns(120).iter().any(|c| c.0 == Col::Company));
    }
}
