//! Small shared pieces: text that fits a width with highlights, styles, popups.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthChar;

use crate::text::sanitize;

pub fn selected() -> Style {
    Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}

pub fn selected_unfocused() -> Style {
    Style::new().bg(Color::DarkGray).fg(Color::White)
}

pub fn highlight() -> Style {
    Style::new()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn label() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// `text` made safe, cut to `max` columns (with `…`), padded to exactly
/// `max`, with the characters at `hl` positions highlighted.
pub fn fit_line(text: &str, max: usize, hl: &[usize], base: Style) -> Line<'static> {
    let safe = sanitize(text);
    // Positions refer to `text`; after escaping they no longer line up.
    let hl: &[usize] = if safe.len() == text.len() { hl } else { &[] };
    let total: usize = safe.chars().map(|c| c.width().unwrap_or(0)).sum();
    let budget = if total > max {
        max.saturating_sub(1)
    } else {
        max
    };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    let mut w = 0;
    for (i, c) in safe.chars().enumerate() {
        let cw = c.width().unwrap_or(0);
        if w + cw > budget {
            break;
        }
        let is_hl = hl.binary_search(&i).is_ok();
        if is_hl != run_hl && !run.is_empty() {
            let style = if run_hl {
                base.patch(highlight())
            } else {
                base
            };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hl = is_hl;
        run.push(c);
        w += cw;
    }
    if total > max && max > 0 {
        if !run.is_empty() {
            let style = if run_hl {
                base.patch(highlight())
            } else {
                base
            };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run.push('…');
        run_hl = false;
        w += 1;
    }
    run.extend(std::iter::repeat_n(' ', max.saturating_sub(w)));
    let style = if run_hl {
        base.patch(highlight())
    } else {
        base
    };
    spans.push(Span::styled(run, style));
    Line::from(spans)
}

/// A rectangle of `w`x`h` (clamped) centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fits_and_highlights() {
        let l = fit_line("田中 健太", 6, &[0], Style::new());
        assert_eq!(text(&l), "田中 …");
        assert_eq!(l.width(), 6);
        assert_eq!(l.spans[0].content, "田");
        assert_eq!(l.spans[0].style, highlight());
        let l = fit_line("ab", 4, &[], Style::new());
        assert_eq!(text(&l), "ab  ");
        let l = fit_line("a\x1b[2Jb", 20, &[], Style::new());
        assert!(!text(&l).contains('\x1b'));
    }
}
