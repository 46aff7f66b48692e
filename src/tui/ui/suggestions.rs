//! The suggestions popup of an event: whom to invite and why (the reason
//! said in the address book's language), the consent to check first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::action_name;
use super::widgets::{self, centered, fit_line};
use crate::analytics::suggest::Why;
use crate::text::sanitize;
use crate::tui::action::Action;
use crate::tui::i18n::{Lang, t, tf};
use crate::tui::keymap::{Context, Keymap};
use crate::tui::state::{State, Suggestions};

pub fn draw(f: &mut Frame, s: &State, keymap: &Keymap, sg: &Suggestions) {
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
    let keys = widgets::key_hints(
        keymap,
        Context::Suggestions,
        s.lang,
        [Action::Confirm, Action::Cancel]
            .map(|a| (a.clone(), format!("hint.suggest_{}", action_name(&a)))),
    );
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

#[cfg(test)]
mod tests {
    use super::reason;
    use crate::analytics::suggest::Why;
    use crate::domain::Closeness;
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
}
