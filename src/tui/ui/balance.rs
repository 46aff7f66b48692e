//! The event balance report across the whole body: generations, who knows
//! nobody (and who could bridge them), cliques, the closeness mix, and the
//! tenures of those coming on one shared year axis.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::action_name;
use super::widgets::{self, centered, fit_line};
use crate::analytics::suggest::Why;
use crate::domain::Closeness;
use crate::text::sanitize;

/// The numbers' table: generation (10), four counts (6+5+5+5), ` !`.
const TABLE_WIDTH: u16 = 33;
use crate::tui::action::Action;
use crate::tui::i18n::{Lang, t, tf};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::state::{State, Suggestions};

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

pub fn suggestions(f: &mut Frame, s: &State, keymap: &Keymap, sg: &Suggestions) {
    let screen = f.area();
    let area = centered(
        screen,
        76.min(screen.width),
        screen.height.saturating_sub(2),
    );
    widgets::clear(f, area);
    let event = &s.data.events[sg.event];
    let title = tf(
        s.lang,
        "suggest.title",
        &[("event", &sanitize(&event.name))],
    );
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_style(Style::new().fg(Color::Cyan));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = Vec::new();
    if sg.list.is_empty() {
        for row in widgets::wrap(t(s.lang, "suggest.none"), w) {
            lines.push(Line::styled(row, widgets::dim()));
        }
    }
    // Each suggestion's reason wraps under itself, so it reads whole at 80
    // columns; the rows of the selected one are kept on screen.
    let mut selected_rows = 0..0;
    for (i, x) in sg.list.iter().enumerate() {
        let selected = sg.view.selected == i;
        let base = if selected {
            widgets::selected()
        } else {
            Style::new()
        };
        let name = s
            .person(&x.person)
            .map_or(x.person.clone(), |p| p.name.to_string());
        let mut spans = fit_line(&name, 16, &[], base.add_modifier(Modifier::BOLD)).spans;
        spans.push(Span::styled(" ", base));
        let mark = if x.consent_unknown {
            tf(
                s.lang,
                "suggest.marked",
                &[("mark", t(s.lang, "suggest.consent_unknown"))],
            )
        } else {
            String::new()
        };
        let room = w.saturating_sub(17);
        let reason = sanitize(&format!("{}{mark}", reason(s.lang, &x.why))).into_owned();
        let start = lines.len();
        // Japanese breaks between any two characters, English at spaces.
        let rows = match s.lang {
            Lang::Ja => widgets::wrap_filling(&reason, room),
            Lang::En => widgets::wrap(&reason, room),
        };
        for (k, row) in rows.into_iter().enumerate() {
            if k > 0 {
                spans = vec![Span::styled(" ".repeat(17.min(w)), base)];
            }
            spans.extend(fit_line(&row, room, &[], base).spans);
            lines.push(Line::from(std::mem::take(&mut spans)));
        }
        if selected {
            selected_rows = start..lines.len();
        }
    }
    let body = Rect {
        height: inner.height.saturating_sub(1),
        ..inner
    };
    let scroll = selected_rows
        .end
        .saturating_sub(body.height as usize)
        .min(selected_rows.start);
    f.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), body);
    let keys = [Action::Confirm, Action::Cancel]
        .iter()
        .filter_map(|a| {
            let k = keymap.key_for(Context::Suggestions, a)?;
            Some(format!(
                "{k} {}",
                t(s.lang, &format!("hint.suggest_{}", action_name(a)))
            ))
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let foot = Rect {
        y: inner.y + inner.height.saturating_sub(1),
        height: 1,
        ..inner
    };
    f.render_widget(Paragraph::new(Line::styled(keys, widgets::dim())), foot);
}

/// Why someone is suggested, in the coordinator's language (the English
/// catalogue says what `alumni suggest` prints).
pub fn reason(lang: Lang, why: &Why) -> String {
    match why {
        Why::Generation { band } => tf(lang, "suggest.why.generation", &[("band", band)]),
        Why::Bridge { guest_name, .. } => tf(
            lang,
            "suggest.why.bridge",
            &[("guest", guest_name), ("short", family_name(guest_name))],
        ),
        Why::Reconnect {
            closeness,
            last_contacted,
        } => {
            let since = match last_contacted {
                Some(d) => tf(
                    lang,
                    "suggest.why.last_contact",
                    &[("date", &d.to_string())],
                ),
                None => t(lang, "suggest.why.never_contacted").to_string(),
            };
            tf(
                lang,
                "suggest.why.reconnect",
                &[
                    (
                        "closeness",
                        t(lang, &format!("closeness.{}", closeness.as_str())),
                    ),
                    ("since", &since),
                ],
            )
        }
    }
}

/// A Japanese name's family name, as one says `大野さん` of `大野 里美`; any
/// other name whole (`Emma Johnson` stays `Emma Johnson`, whose family name
/// comes last).
fn family_name(name: &str) -> &str {
    let name = name.trim();
    match name.split_once([' ', '\u{3000}']) {
        // Written in wide characters (漢字, かな): not `Émile Dupont`.
        Some((family, _)) if crate::text::width(family) > family.chars().count() => family,
        _ => name,
    }
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
    use super::{by_names, reason};
    use crate::analytics::suggest::Why;
    use crate::domain::Closeness;
    use crate::text::width;
    use crate::tui::i18n::Lang;

    fn whys() -> Vec<Why> {
        vec![
            Why::Generation {
                band: "1995-1999".into(),
            },
            Why::Bridge {
                guest: "p-3".into(),
                guest_name: "大野 里美".into(),
            },
            Why::Bridge {
                guest: "p-4".into(),
                guest_name: "Lucas Meyer".into(),
            },
            Why::Reconnect {
                closeness: Closeness::Lost,
                last_contacted: chrono::NaiveDate::from_ymd_opt(2019, 6, 1),
            },
            Why::Reconnect {
                closeness: Closeness::Distant,
                last_contacted: None,
            },
        ]
    }

    /// The English catalogue says what `alumni suggest` prints (and JSON
    /// carries), word for word.
    #[test]
    fn reasons_in_english_are_the_cli_words() {
        for why in whys() {
            assert_eq!(reason(Lang::En, &why), why.english());
        }
    }

    #[test]
    fn a_japanese_name_is_called_by_its_family_name_any_other_whole() {
        assert_eq!(super::family_name("大野 里美"), "大野");
        assert_eq!(super::family_name("大野　里美"), "大野");
        assert_eq!(super::family_name("Émile Dupont"), "Émile Dupont");
        assert_eq!(super::family_name("ケン"), "ケン");
    }

    #[test]
    fn reasons_in_japanese_name_the_same_people_and_years() {
        let ja: Vec<String> = whys().iter().map(|w| reason(Lang::Ja, w)).collect();
        assert_eq!(
            ja,
            [
                "1995-1999 入社世代の招待者がまだいない",
                "大野 里美さんと在籍時期が重なる（大野さんは参加者に知り合いがいない）",
                "Lucas Meyerさんと在籍時期が重なる（Lucas Meyerさんは参加者に知り合いがいない）",
                "音信不通（最終連絡 2019-06-01）。同窓会は再びつながるきっかけになる",
                "疎遠（未連絡）。同窓会は再びつながるきっかけになる",
            ]
        );
    }

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
