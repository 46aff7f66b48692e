//! The event balance report across the whole body: generations, who knows
//! nobody (and who could bridge them), cliques, the closeness mix, and the
//! tenures of those coming on one shared year axis.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::widgets::{self, fit_line};
use crate::domain::Closeness;
use crate::text::sanitize;
use crate::tui::i18n::{t, tf};
use crate::tui::state::State;

/// The numbers' table: generation (10), four counts (6+5+5+5), ` !`.
const TABLE_WIDTH: u16 = 33;

pub fn draw(f: &mut Frame, s: &State, area: Rect) {
    let (Some(r), Some(e)) = (&s.report, s.events.current()) else {
        f.render_widget(Block::bordered(), area);
        return;
    };
    let event = &s.data.events[e];
    let title = tf(
        s.lang,
        "balance.title",
        &[("event", &sanitize(&event.name))],
    );
    let block = Block::bordered()
        .title(format!(" {title} "))
        .title_bottom(Line::styled(
            format!(" {} ", t(s.lang, "balance.keys")),
            widgets::dim(),
        ))
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(area);
    f.render_widget(block, area);
    // Half each, but the numbers' table (33 cells with its ` !`) whole on
    // its rows in a narrow window: its columns wrapped under each other.
    let half = inner.width.saturating_sub(2) / 2;
    let left_w = half.max(TABLE_WIDTH).min(inner.width);
    let [left, right] = Layout::horizontal([Constraint::Length(left_w), Constraint::Fill(1)])
        .spacing(2)
        .areas(inner);
    let name = |id: &str| s.person(id).map_or(id.to_string(), |p| p.name.to_string());

    // Left: the numbers.
    // Headings in columns of terminal cells (世代 is two characters, four
    // cells), as the numbers under them.
    let mut lines = vec![Line::styled(
        format!(
            "{}{}{}{}{}",
            crate::text::fit(t(s.lang, "balance.generation"), 10),
            crate::text::align_right(t(s.lang, "balance.alumni"), 6),
            crate::text::align_right(t(s.lang, "balance.inv"), 5),
            crate::text::align_right(t(s.lang, "balance.acc"), 5),
            crate::text::align_right(t(s.lang, "balance.att"), 5)
        ),
        widgets::label(),
    )];
    for g in &r.generations {
        let style = if g.nobody_coming {
            Style::new().fg(Color::Yellow)
        } else {
            Style::new()
        };
        let flag = if g.nobody_coming { " !" } else { "" };
        let band = match g.band.as_str() {
            "unknown" => t(s.lang, "balance.unknown"),
            band => band,
        };
        lines.push(Line::styled(
            format!(
                "{}{:>6}{:>5}{:>5}{:>5}{flag}",
                crate::text::fit(band, 10),
                g.alumni,
                g.invited,
                g.accepted,
                g.attended
            ),
            style,
        ));
    }
    let e = &r.erased;
    if e.invited > 0 {
        lines.push(Line::styled(
            format!(
                "{}{:>6}{:>5}{:>5}{:>5}",
                crate::text::fit(t(s.lang, "balance.erased"), 10),
                "-",
                e.invited,
                e.accepted,
                e.attended
            ),
            widgets::dim(),
        ));
    }
    lines.push(Line::raw(""));
    if r.coming == 0 {
        lines.push(Line::styled(
            t(s.lang, "balance.nobody_coming"),
            widgets::dim(),
        ));
    } else if r.isolated.is_empty() {
        lines.push(Line::styled(
            t(s.lang, "balance.nobody_alone"),
            Style::new().fg(Color::Green),
        ));
    } else {
        lines.push(Line::styled(
            t(s.lang, "balance.knows_nobody"),
            widgets::error(),
        ));
        for iso in &r.isolated {
            let guest = sanitize(&name(&iso.person)).into_owned();
            if iso.bridges.is_empty() {
                let text = format!(" {guest} — {}", t(s.lang, "balance.no_bridge"));
                lines.push(Line::raw(text));
                continue;
            }
            let bridges: Vec<String> = iso
                .bridges
                .iter()
                .map(|b| sanitize(&name(b)).into_owned())
                .collect();
            // Names are never split between rows (松本 / 香織 read as two
            // people): the rows break between them.
            for row in by_names(&format!(" {guest} ← "), &bridges, left.width as usize) {
                lines.push(Line::raw(row));
            }
        }
    }
    if !r.largest_clique.is_empty() {
        let text = tf(
            s.lang,
            "balance.clique",
            &[
                ("n", &r.largest_clique.len().to_string()),
                ("of", &r.coming.to_string()),
            ],
        );
        let style = if r.clique_warning {
            Style::new().fg(Color::Yellow)
        } else {
            Style::new()
        };
        lines.push(Line::styled(text, style));
    }
    let mix: Vec<String> = Closeness::ALL
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                t(s.lang, &format!("closeness.{}", c.as_str())),
                r.closeness.get(c.as_str()).unwrap_or(&0)
            )
        })
        .collect();
    lines.push(Line::raw(format!(
        "{} {}",
        t(s.lang, "balance.closeness"),
        mix.join(" · ")
    )));
    if !r.parts.is_empty() {
        let parts: Vec<String> = r
            .parts
            .iter()
            .map(|p| format!("{} {}", sanitize(&p.part), p.attended))
            .collect();
        lines.push(Line::raw(format!(
            "{} {}",
            t(s.lang, "balance.parts"),
            parts.join(" · ")
        )));
    }
    // Both sides scroll together (the moving keys): the report is longer
    // than a small window.
    // Wrapped by display width (ratatui's wrap can end a wide character
    // over the edge), each row a line, so the rows counted are those drawn.
    let lines: Vec<Line<'static>> = lines
        .into_iter()
        .flat_map(|l| {
            let text: String = l.spans.iter().map(|sp| sp.content.as_ref()).collect();
            let style = l
                .spans
                .first()
                .map_or(l.style, |sp| l.style.patch(sp.style));
            let rows = match crate::text::width(&text) <= usize::from(left.width) {
                true => vec![text],
                false => widgets::wrap(&text, usize::from(left.width)),
            };
            rows.into_iter().map(move |row| Line::styled(row, style))
        })
        .collect();
    let rows = lines.len();
    let numbers = Paragraph::new(lines);
    let guests = gantt_lines(s, r, right.width);
    let room = rows
        .max(guests.len())
        .saturating_sub(usize::from(inner.height));
    let room = u16::try_from(room).unwrap_or(u16::MAX);
    s.balance_room.set(room);
    let scroll = (s.balance_scroll.min(room), 0);
    f.render_widget(numbers.scroll(scroll), left);
    // Right: the tenures of those coming, one row each, grouped by generation.
    f.render_widget(Paragraph::new(guests).scroll(scroll), right);
}

fn gantt_lines(s: &State, r: &crate::analytics::report::Report, width: u16) -> Vec<Line<'static>> {
    let isolated: Vec<&str> = r.isolated.iter().map(|i| i.person.as_str()).collect();
    let mut guests: Vec<(&str, &crate::domain::Person)> = r
        .attending
        .iter()
        .filter_map(|g| s.person(&g.person).map(|p| (g.band.as_str(), p)))
        .collect();
    guests.sort_by_key(|(band, p)| (band.to_string(), p.first_joined()));
    let end = s.today.year();
    let start = guests
        .iter()
        .filter_map(|(_, p)| p.first_joined())
        .map(|d| d.year())
        .min()
        .unwrap_or(end);
    let years = (end - start + 1).max(1) as usize;
    // Names get a quarter of the width, from 10 to 20 cells.
    let name_w = (usize::from(width) / 4).clamp(10, 20);
    let bar_w = usize::from(width).saturating_sub(name_w + 1).max(4);
    let mut lines = vec![Line::styled(
        format!(
            "{:name_w$} {start}{:>w$}",
            "",
            end,
            w = bar_w.saturating_sub(4)
        ),
        widgets::dim(),
    )];
    let mut last_band = "";
    let x_of = |year: i32, month: u32| -> usize {
        let pos = (year - start) as f64 + (month as f64 - 1.0) / 12.0;
        ((pos / years as f64) * bar_w as f64) as usize
    };
    for (band, p) in guests {
        if band != last_band {
            lines.push(Line::styled(band.to_string(), widgets::label()));
            last_band = band;
        }
        let mut cells = vec!['·'; bar_w];
        for st in &p.stints {
            let Some(j) = st.joined else { continue };
            let l = st.left.unwrap_or(s.today);
            let (x0, x1) = (
                x_of(j.year(), j.month()),
                x_of(l.year(), l.month()).max(x_of(j.year(), j.month()) + 1),
            );
            for c in cells.iter_mut().take(x1.min(bar_w)).skip(x0.min(bar_w)) {
                *c = '█';
            }
        }
        let alone = isolated.contains(&p.id.as_str());
        let color = if alone { Color::Red } else { Color::Cyan };
        let mut spans = fit_line(
            &p.name,
            name_w,
            &[],
            if alone {
                widgets::error()
            } else {
                Style::new()
            },
        )
        .spans;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            cells.into_iter().collect::<String>(),
            Style::new().fg(color),
        ));
        lines.push(Line::from(spans));
    }
    lines
}

/// `lead` then `names` separated by ", ", in rows of `w` cells that break
/// only between names (a name wider than a row is cut by `widgets::wrap`);
/// the later rows indented by three cells.
fn by_names(lead: &str, names: &[String], w: usize) -> Vec<String> {
    let w = w.max(1);
    let indent = if w > 12 { "   " } else { "" };
    let mut rows = Vec::new();
    let mut row = lead.to_string();
    for (k, n) in names.iter().enumerate() {
        let piece = if k + 1 < names.len() {
            format!("{n},")
        } else {
            n.clone()
        };
        let sep = if row.trim().is_empty() || row.ends_with(' ') {
            ""
        } else {
            " "
        };
        if crate::text::width(&row) + sep.len() + crate::text::width(&piece) <= w {
            row.push_str(sep);
            row.push_str(&piece);
            continue;
        }
        if !row.trim().is_empty() {
            rows.push(std::mem::take(&mut row));
        }
        let mut cut: Vec<String> = widgets::wrap(&piece, w - indent.len())
            .into_iter()
            .map(|r| format!("{indent}{r}"))
            .collect();
        row = cut.pop().unwrap_or_default();
        rows.extend(cut);
    }
    rows.push(row);
    rows
}

#[cfg(test)]
mod tests {
    use super::by_names;
    use crate::text::width;

    #[test]
    fn bridges_break_between_names_never_inside_one() {
        let names: Vec<String> = ["山口 昭", "佐々木 結衣", "松本 香織"]
            .iter()
            .map(|n| n.to_string())
            .collect();
        // 38 cells as at 80x24: the third name goes whole to the next row.
        assert_eq!(
            by_names(" 大野 里美 ← ", &names, 38),
            [" 大野 里美 ← 山口 昭, 佐々木 結衣,", "   松本 香織"]
        );
        // 30 cells as at 61 columns.
        assert_eq!(
            by_names(" 大野 里美 ← ", &names, 30),
            [" 大野 里美 ← 山口 昭,", "   佐々木 結衣, 松本 香織"]
        );
        // Every row fits; a name wider than a row is cut, by display width.
        let long = vec!["長谷川しょうたろうさんの名前".to_string()];
        for row in by_names(" 大野 ← ", &long, 14) {
            assert!(width(&row) <= 14, "{row:?}");
        }
    }
}
