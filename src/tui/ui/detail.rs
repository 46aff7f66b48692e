//! The person detail pane beside the People list.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::widgets;
use crate::domain::{Consent, Person};
use crate::text::sanitize;
use crate::tui::i18n::{Lang, t, tf};
use crate::tui::state::State;

fn kv(lang: Lang, key: &str, value: String) -> Option<Line<'static>> {
    (!value.is_empty()).then(|| {
        Line::from(vec![
            Span::styled(
                format!("{} ", crate::text::fit(t(lang, key), 12)),
                widgets::label(),
            ),
            Span::raw(sanitize(&value).into_owned()),
        ])
    })
}

/// A `label value, value` line whose values (emails, phones) are never
/// split across lines: those that fit go beside the label, each further one
/// on a line under them; one wider than that column gets a line of its own
/// under the label, cut with `…` only when wider than the pane (`w` cells).
fn kv_items<S: AsRef<str>>(lang: Lang, key: &str, items: &[S], w: usize) -> Vec<Line<'static>> {
    const INDENT: usize = 13;
    if items.is_empty() {
        return Vec::new();
    }
    let label = Span::styled(
        format!("{} ", crate::text::fit(t(lang, key), INDENT - 1)),
        widgets::label(),
    );
    let mut out: Vec<Line<'static>> = Vec::new();
    // The line being filled: its lead (the label or an indent) and text.
    let mut lead = label;
    let mut text = String::new();
    let n = items.len();
    for (k, item) in items.iter().enumerate() {
        let bare = sanitize(item.as_ref()).into_owned();
        let mut item = bare.clone();
        if k + 1 < n {
            item.push(',');
        }
        let iw = crate::text::width(&item);
        let sep = usize::from(!text.is_empty());
        if INDENT + crate::text::width(&text) + sep + iw <= w {
            if sep == 1 {
                text.push(' ');
            }
            text.push_str(&item);
            continue;
        }
        // Close the line being filled (the label alone stays as a line when
        // its first value goes under it).
        if !text.is_empty() || out.is_empty() {
            out.push(Line::from(vec![lead, Span::raw(std::mem::take(&mut text))]));
        }
        if INDENT + iw <= w {
            lead = Span::raw(" ".repeat(INDENT));
            text = item;
        } else {
            // On a line of its own the comma goes first, before any of the
            // address would.
            let room = w.saturating_sub(2);
            let own = if iw <= room { item } else { bare };
            let cut = crate::text::fit(&own, room);
            out.push(Line::raw(format!("  {}", cut.trim_end())));
            lead = Span::raw(" ".repeat(INDENT));
        }
    }
    if !text.is_empty() {
        out.push(Line::from(vec![lead, Span::raw(text)]));
    }
    out
}

/// The selected person in full: contacts, consent, stints on a timeline,
/// who they overlapped with, cohorts, events, notes.
pub(super) fn draw(f: &mut Frame, s: &State, p: &Person, area: Rect) {
    let lang = s.lang;
    let mut lines: Vec<Line> = Vec::new();
    let mut title = vec![Span::styled(
        sanitize(&p.name).into_owned(),
        Style::new().add_modifier(Modifier::BOLD),
    )];
    if !p.nickname.is_empty() {
        title.push(Span::raw(format!(" ({})", sanitize(&p.nickname))));
    }
    title.push(Span::styled(
        format!("  {}", sanitize(&p.id)),
        widgets::dim(),
    ));
    lines.push(Line::from(title));
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut consent = match p.consent_date {
        Some(d) => format!(
            "{} ({d})",
            t(lang, &format!("consent.{}", p.consent.as_str()))
        ),
        None => t(lang, &format!("consent.{}", p.consent.as_str())).to_string(),
    };
    if !p.consent_purpose.is_empty() {
        consent = format!("{consent} · {}", p.consent_purpose);
    }
    // The pane's inner width, as `rewrap` below wraps to.
    let inner_w = area.width.saturating_sub(2) as usize;
    lines.extend(kv(lang, "field.reading", p.reading.to_string()));
    // An email or a phone number is kept whole, never split across lines.
    lines.extend(kv_items(lang, "field.emails", &p.emails, inner_w));
    lines.extend(kv_items(lang, "field.phones", &p.phones, inner_w));
    lines.extend(
        [
            kv(lang, "field.links", p.links.join(", ")),
            kv(lang, "field.company", p.company.to_string()),
            kv(lang, "field.title", p.title.to_string()),
            kv(lang, "field.location", p.location.to_string()),
            kv(lang, "field.tags", p.tags.join(", ")),
            kv(lang, "field.consent", consent),
            kv(
                lang,
                "field.closeness",
                super::people::closeness_label(lang, p.closeness).to_string(),
            ),
            kv(lang, "field.last_contacted", date(p.last_contacted)),
        ]
        .into_iter()
        .flatten(),
    );
    if p.consent == Consent::No {
        lines.push(Line::styled(t(lang, "detail.no_contact"), widgets::error()));
    }
    lines.push(Line::styled(t(lang, "detail.stints"), widgets::label()));
    let width = area.width.saturating_sub(4) as usize;
    lines.extend(timeline(s, p, width));
    if let Some(i) = s.people.current() {
        match s.counted_overlaps(i) {
            Some((n, overlaps)) => {
                lines.push(Line::styled(
                    tf(
                        lang,
                        "detail.overlaps",
                        &[("n", &crate::text::thousands(n))],
                    ),
                    widgets::label(),
                ));
                // The name gives way (cut with `…`) so that how long they
                // were together stays on its line.
                let inner = area.width.saturating_sub(2) as usize;
                for (j, days) in overlaps.iter().take(3) {
                    let shared = tf(
                        lang,
                        "detail.shared",
                        &[("years", &format!("{:.1}", *days as f64 / 365.25))],
                    );
                    let name = sanitize(&s.data.people[*j].name);
                    let room = inner.saturating_sub(4 + crate::text::width(&shared));
                    let name = match crate::text::width(&name) > room && room >= 6 {
                        true => crate::text::fit(&name, room).trim_end().to_string(),
                        false => name.into_owned(),
                    };
                    lines.push(Line::raw(format!("  {name}  {shared}")));
                }
            }
            None => lines.push(Line::styled(
                t(lang, "detail.overlaps_counting").to_string(),
                widgets::label(),
            )),
        }
    }
    let cohorts: Vec<&str> = s
        .data
        .cohorts
        .iter()
        .filter(|c| c.members.contains(&p.id))
        .map(|c| c.name.as_str())
        .collect();
    if !cohorts.is_empty() {
        lines.push(Line::styled(t(lang, "detail.cohorts"), widgets::label()));
        lines.push(Line::raw(format!("  {}", sanitize(&cohorts.join(", ")))));
    }
    let events: Vec<String> = s
        .data
        .events
        .iter()
        .filter_map(|e| {
            let inv = e.invitations.iter().find(|i| i.person == p.id)?;
            Some(format!(
                "  {}  {}  {}",
                date(e.date),
                t(lang, &format!("status.{}", inv.status.as_str())),
                sanitize(&e.name)
            ))
        })
        .collect();
    if !events.is_empty() {
        lines.push(Line::styled(t(lang, "detail.events"), widgets::label()));
        lines.extend(events.into_iter().map(Line::raw));
    }
    if !p.notes.is_empty() {
        lines.push(Line::styled(t(lang, "field.notes"), widgets::label()));
        for l in p.notes.lines() {
            lines.push(Line::raw(format!("  {}", sanitize(l))));
        }
    }
    let block = Block::bordered();
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = rewrap(lines, inner.width as usize);
    f.render_widget(Paragraph::new(lines), inner);
}

/// Lines wider than `w` wrapped by display width (ratatui's own wrapping can
/// push a wide character over the border). A `label value` line continues
/// under its value; other lines under their own indent.
fn rewrap(lines: Vec<Line<'static>>, w: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= w || w < 8 {
            out.push(line);
            continue;
        }
        let (head, body, style) = if line.spans.len() >= 2 {
            let head = line.spans[0].clone();
            let body: String = line.spans[1..].iter().map(|s| s.content.as_ref()).collect();
            let style = line.spans.last().map(|s| s.style).unwrap_or_default();
            (Some(head), body, style)
        } else {
            let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
            let style = line.spans.first().map(|s| s.style).unwrap_or(line.style);
            let pad = text.len() - text.trim_start().len();
            (
                Some(Span::styled(" ".repeat(pad), style)),
                text.trim_start().to_string(),
                style,
            )
        };
        let indent = head.as_ref().map_or(0, |h| h.width()).min(w / 2);
        for (k, part) in widgets::wrap(&body, w - indent).into_iter().enumerate() {
            let lead = match (&head, k) {
                (Some(h), 0) => h.clone(),
                _ => Span::raw(" ".repeat(indent)),
            };
            out.push(Line::from(vec![lead, Span::styled(part, style)]));
        }
    }
    out
}

/// Each stint as a line of text and a bar on a shared axis from the first
/// year known (joined, or left when no joined date is known) to today, so
/// returns and gaps show at a glance. A stint whose joined date is unknown
/// shows only the year it ended, after a faint run (`░`): some time before.
fn timeline(s: &State, p: &Person, width: usize) -> Vec<Line<'static>> {
    if p.stints.is_empty() {
        return vec![Line::styled(
            format!("  {}", t(s.lang, "detail.no_stints")),
            widgets::dim(),
        )];
    }
    let end = s.today.year();
    let years = p
        .stints
        .iter()
        .flat_map(|st| [st.joined, st.left])
        .flatten();
    let start = years.map(|d| d.year()).min().unwrap_or(end).min(end);
    let span = (end - start + 1).max(1) as usize;
    let bar_w = width.saturating_sub(12).max(4);
    let x_of = |year: i32| ((year - start).max(0) as usize * bar_w / span).min(bar_w);
    let mut out = Vec::new();
    for st in &p.stints {
        let j = st
            .joined
            .map(|d| d.to_string())
            .unwrap_or_else(|| "?".into());
        let l = st.left.map(|d| d.to_string()).unwrap_or_else(|| "…".into());
        out.push(Line::raw(format!(
            "  {j} – {l}  {} {}",
            sanitize(&st.department),
            sanitize(&st.role)
        )));
        let to = st.left.map_or(end, |d| d.year());
        let x1 = x_of(to + 1).max(1);
        // Unknown start: the last year only, after a faint run.
        let (faint, x0) = match st.joined {
            Some(d) => (0, x_of(d.year()).min(x1 - 1)),
            None => (x_of(start), x_of(to).min(x1 - 1)),
        };
        let bar: String = (0..bar_w)
            .map(|x| match x {
                _ if x >= x0 && x < x1 => '█',
                _ if st.joined.is_none() && x >= faint && x < x0 => '░',
                _ => '·',
            })
            .collect();
        out.push(Line::from(vec![
            Span::styled(format!("  {start} "), widgets::dim()),
            Span::styled(bar, Style::new().fg(Color::Cyan)),
            Span::styled(format!(" {end}"), widgets::dim()),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(st: Vec<crate::domain::Stint>) -> Vec<String> {
        let data = crate::tui::state::Data {
            people: Vec::new(),
            cohorts: Vec::new(),
            events: Vec::new(),
        };
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
        let s = State::new(data, today, Lang::En);
        let p = Person {
            stints: st.into(),
            ..Default::default()
        };
        let lines = timeline(&s, &p, 32);
        let text = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        lines.iter().map(text).collect()
    }

    #[test]
    fn a_stint_without_joined_date_ends_at_its_left_year() {
        let d = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
        let only_left = crate::domain::Stint {
            left: d(2016, 3, 31),
            ..Default::default()
        };
        // The axis starts at the year known; the year it ended is drawn.
        let lines = bar(vec![only_left.clone()]);
        assert_eq!(lines[0].trim(), "? – 2016-03-31");
        assert!(lines[1].starts_with("  2016 █·"), "{}", lines[1]);
        assert!(lines[1].ends_with("· 2026"), "{}", lines[1]);
        // Beside a dated stint: faint before it, solid in its last year.
        let dated = crate::domain::Stint {
            joined: d(2006, 4, 1),
            left: d(2010, 3, 31),
            ..Default::default()
        };
        let lines = bar(vec![dated, only_left]);
        assert!(lines[1].starts_with("  2006 █"), "{}", lines[1]);
        let second = &lines[3];
        assert!(second.starts_with("  2006 ░"), "{second}");
        let solid = second.find('█').unwrap();
        assert!(
            second[..solid]
                .trim_start_matches("  2006 ")
                .chars()
                .all(|c| c == '░'),
            "{second}"
        );
        assert!(second.ends_with("· 2026"), "{second}");
    }

    #[test]
    fn emails_are_never_split_across_lines() {
        let text = |l: &Line| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        };
        let long = "a-very-long-address-for-the-alumni-network@example.com";
        let emails = [
            "kenta@example.jp",
            "kentaro.tanaka@example.co.jp",
            "tanaka.kentaro@cybershoji.co.jp",
            long,
        ];
        // 33 cells: the detail's inner width at 80x24.
        let rows: Vec<String> = kv_items(Lang::En, "field.emails", &emails, 33)
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            rows,
            [
                "Emails       kenta@example.jp,",
                "  kentaro.tanaka@example.co.jp,",
                // 31 cells fit: whole, without its comma.
                "  tanaka.kentaro@cybershoji.co.jp",
                "  a-very-long-address-for-the-al…",
            ]
        );
        for row in &rows {
            assert!(crate::text::width(row) <= 33, "{row:?}");
        }
        // Short ones go beside the label, then under each other.
        let short = ["ken@example.jp", "k@example.jp", "kenta@example.jp"];
        let rows: Vec<String> = kv_items(Lang::En, "field.emails", &short, 33)
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            rows,
            [
                "Emails       ken@example.jp,",
                "             k@example.jp,",
                "             kenta@example.jp",
            ]
        );
        // A first address too wide for the value column goes under the label.
        let rows: Vec<String> = kv_items(Lang::En, "field.emails", &emails[1..2], 33)
            .iter()
            .map(text)
            .collect();
        assert_eq!(rows, ["Emails       ", "  kentaro.tanaka@example.co.jp"]);
        assert!(kv_items::<&str>(Lang::En, "field.emails", &[], 33).is_empty());
    }
}
