//! Where things go on screen, as a pure function of the terminal size, so
//! that drawing and mouse hits agree.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::text::width;
use crate::tui::i18n::{Lang, t};

/// Below this the screen only says that the window is too small.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub tabs: Rect,
    pub list: Rect,
    pub detail: Rect,
    pub search: Rect,
    pub status: Rect,
}

pub fn too_small(w: u16, h: u16) -> bool {
    w < MIN_WIDTH || h < MIN_HEIGHT
}

pub fn areas(w: u16, h: u16) -> Areas {
    let full = Rect::new(0, 0, w, h);
    let [tabs, body, search, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(full);
    // The list gets more room on wide screens; the detail never less than 30.
    let list_pct = if w >= 140 { 60 } else { 56 };
    let [list, detail] =
        Layout::horizontal([Constraint::Percentage(list_pct), Constraint::Min(30)]).areas(body);
    Areas {
        tabs,
        list,
        detail,
        search,
        status,
    }
}

/// The tab titles, ` 1 People ` etc.
pub fn tab_titles(lang: Lang) -> [String; 3] {
    ["pane.people", "pane.cohorts", "pane.events"]
        .iter()
        .enumerate()
        .map(|(i, k)| format!(" {} {} ", i + 1, t(lang, k)))
        .collect::<Vec<_>>()
        .try_into()
        .unwrap_or_default()
}

/// Column spans `[x0, x1)` of the tab titles, separated by one column.
pub fn tab_spans(lang: Lang) -> Vec<(u16, u16)> {
    let mut x = 0u16;
    tab_titles(lang)
        .iter()
        .map(|title| {
            let w = width(title) as u16;
            let span = (x, x + w);
            x += w + 1;
            span
        })
        .collect()
}
