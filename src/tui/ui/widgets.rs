//! Small shared pieces: text that fits a width with highlights, styles, popups.

use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_segmentation::UnicodeSegmentation;

use crate::text::{sanitize, width};

/// A line of key hints, `key hint · key hint`: each action's key in `ctx`
/// with its hint text (the i18n key given); an action without a key is
/// left out.
pub fn key_hints<S: AsRef<str>>(
    keymap: &crate::tui::keymap::Keymap,
    ctx: crate::tui::keymap::Context,
    lang: crate::tui::i18n::Lang,
    hints: impl IntoIterator<Item = (crate::tui::action::Action, S)>,
) -> String {
    hints
        .into_iter()
        .filter_map(|(a, hint)| {
            let k = keymap.key_for(ctx, &a)?;
            Some(format!("{k} {}", crate::tui::i18n::t(lang, hint.as_ref())))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

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
    // Measured per grapheme, as the terminal (and ratatui) draws them: an
    // emoji with a variation selector is 2 columns, a flag is never split.
    let total = width(&safe);
    let budget = if total > max {
        max.saturating_sub(1)
    } else {
        max
    };
    let style_of = |lit: bool| if lit { base.patch(highlight()) } else { base };
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    let mut w = 0;
    let mut char_index = 0;
    for g in safe.graphemes(true) {
        let gw = width(g);
        if w + gw > budget {
            break;
        }
        let n = g.chars().count();
        let is_hl = (char_index..char_index + n).any(|i| hl.binary_search(&i).is_ok());
        char_index += n;
        if is_hl != run_hl && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), style_of(run_hl)));
        }
        run_hl = is_hl;
        run.push_str(g);
        w += gw;
    }
    if total > max && max > 0 {
        if !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), style_of(run_hl)));
        }
        run.push('…');
        run_hl = false;
        w += 1;
    }
    run.extend(std::iter::repeat_n(' ', max.saturating_sub(w)));
    spans.push(Span::styled(run, style_of(run_hl)));
    Line::from(spans)
}

/// Splits text into lines of at most `max` columns (by grapheme, so wide
/// characters never cross the edge), breaking at spaces where it can.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    rows(text, max, false)
}

/// Punctuation a Japanese row does not start with (kinsoku).
const CLOSING: &[&str] = &[
    "、", "。", "）", ")", "」", "』", "】", "：", ":", "，", ",", "・", "ー",
];

/// Punctuation a Japanese row does not end with.
const OPENING: &[&str] = &["（", "(", "「", "『", "【"];

/// As `wrap`, for Japanese, which breaks between any two characters: a word
/// holding wide characters that does not fit the rest of the row fills it
/// and goes on on the next (the space in `大野 里美さんと…` would otherwise
/// leave `大野` alone on a row); no row starts with closing punctuation and
/// a Latin word (`Meyer`) is not split when it fits a row.
pub fn wrap_filling(text: &str, max: usize) -> Vec<String> {
    rows(text, max, true)
}

/// `wrap` and, with `filling`, `wrap_filling`: a word that fits the rest
/// of the row goes on it; one that does not starts the next, except that a
/// filling wrap lets a word with wide characters (or one wider than a row)
/// fill the rest of the row first; a word wider than a row is cut by
/// grapheme (a filling wrap keeping its punctuation rules at the cut).
fn rows(text: &str, max: usize, filling: bool) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0;
        for word in para.split(' ') {
            let ww = width(word);
            let sep = usize::from(!line.is_empty());
            if w + sep + ww <= max {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                w += sep + ww;
                continue;
            }
            let fills = filling && (ww > max || word.graphemes(true).any(|g| width(g) > 1));
            if fills && sep == 1 && w + 1 < max {
                line.push(' ');
                w += 1;
            } else if sep == 1 {
                lines.push(std::mem::take(&mut line));
                w = 0;
            }
            for g in word.graphemes(true) {
                let gw = width(g);
                if w + gw > max && !line.is_empty() {
                    let carry = match filling {
                        true => carry_down(&mut line, g, max),
                        false => String::new(),
                    };
                    lines.push(std::mem::take(&mut line));
                    w = width(&carry);
                    line = carry;
                }
                line.push_str(g);
                w += gw;
            }
        }
        lines.push(line);
    }
    lines
}

/// The end of a full row that goes down with `next`, the first grapheme of
/// the next row: the character before a closing mark, the start of the
/// Latin word `next` goes on, an opening mark (never the whole row).
fn carry_down(line: &mut String, next: &str, max: usize) -> String {
    let latin = |g: &str| g.chars().all(|c| c.is_ascii_alphanumeric());
    let gs: Vec<&str> = line.graphemes(true).collect();
    let keep = if CLOSING.contains(&next) {
        match gs.last() {
            Some(last) if !CLOSING.contains(last) => gs.len() - 1,
            _ => gs.len(),
        }
    } else if latin(next) {
        gs.len() - gs.iter().rev().take_while(|g| latin(g)).count()
    } else {
        gs.len()
    };
    // Nor does a row end with an opening one.
    let keep = match keep.checked_sub(1).map(|k| gs[k]) {
        Some(open) if OPENING.contains(&open) => keep - 1,
        _ => keep,
    };
    if keep == 0 || keep == gs.len() {
        return String::new();
    }
    // What goes down must fit the next row with `next` (an opening mark
    // before a carried character can make it too wide for a narrow one).
    if gs[keep..].iter().map(|g| width(g)).sum::<usize>() + width(next) > max {
        return String::new();
    }
    let cut: usize = gs[..keep].iter().map(|g| g.len()).sum();
    let carry = line[cut..].to_string();
    line.truncate(cut);
    line.truncate(line.trim_end().len());
    carry
}

/// Clears a popup's area, and the wide character sticking into it from
/// the left: a terminal would draw its second half over the popup's border.
pub fn clear(f: &mut ratatui::Frame, area: Rect) {
    f.render_widget(ratatui::widgets::Clear, area);
    if area.x == 0 {
        return;
    }
    let buf = f.buffer_mut();
    for y in area.y..area.y + area.height {
        if let Some(cell) = buf.cell_mut((area.x - 1, y))
            && width(cell.symbol()) > 1
        {
            cell.set_symbol(" ");
        }
    }
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
    fn wraps_by_display_width() {
        assert_eq!(
            wrap("はせがわ しょうたろう", 10),
            ["はせがわ", "しょうたろ", "う"]
        );
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("a\nb", 5), ["a", "b"]);
        for l in wrap("田中健太郎田中健太郎田中", 5) {
            assert!(width(&l) <= 5, "{l}");
        }
    }

    #[test]
    fn emoji_sequences_are_measured_whole() {
        let l = fit_line("❤️❤️❤️", 5, &[], Style::new());
        assert_eq!(l.width(), 5);
        let flags = fit_line("🇯🇵🇯🇵", 3, &[], Style::new());
        assert_eq!(text(&flags), "🇯🇵…");
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

#[cfg(test)]
mod wrap_tests {
    use super::{wrap, wrap_filling};
    use crate::text::width;

    #[test]
    fn japanese_fills_its_rows_and_keeps_its_punctuation_and_latin_words() {
        let text = "大野 里美さんと在籍時期が重なる（大野さんは参加者に知り合いがいない）";
        // `大野` is not left alone on the first row, as `wrap` leaves it.
        assert_eq!(wrap(text, 57)[0], "大野");
        let rows = wrap_filling(text, 57);
        assert_eq!(
            rows,
            [
                "大野 里美さんと在籍時期が重なる（大野さんは参加者に知り合",
                "いがいない）"
            ]
        );
        // No row starts with a closing mark nor ends with an opening one.
        let rows = wrap_filling("あいう（えお）かき", 8);
        assert_eq!(rows, ["あいう", "（えお）", "かき"]);
        let rows = wrap_filling("あいうえ。かき", 8);
        assert_eq!(rows, ["あいう", "え。かき"]);
        // Unless what would go down does not fit the next row either.
        for row in wrap_filling("（「）", 5) {
            assert!(width(&row) <= 5, "{row:?}");
        }
        // A Latin word goes whole to the next row.
        let rows = wrap_filling("Lucas Meyerさんと在籍時期", 8);
        assert_eq!(rows, ["Lucas", "Meyerさ", "んと在籍", "時期"]);
        for w in [2, 3, 5, 9, 20] {
            for row in wrap_filling(text, w) {
                assert!(width(&row) <= w, "{w}: {row:?}");
            }
        }
        // Words that fit a row wrap as `wrap` wraps them.
        let en = "worked at the same time as Lucas Meyer, who knows nobody else coming";
        assert_eq!(wrap_filling(en, 30), wrap(en, 30));
    }

    proptest::proptest! {
        /// Whatever the mix of kana, kanji, Latin words, punctuation and
        /// spaces: no row is wider than the room, and nothing but spaces is
        /// lost or added.
        #[test]
        fn japanese_rows_fit_and_keep_every_character(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "大野", "里美", "さん", "と", "在籍", "（", "）", "、", "。", "「", "」",
                    "Lucas", "Meyer", "ー", " ", "a", "Verylongname", "・", "2003",
                ]),
                0..40,
            ),
            max in 4usize..60,
        ) {
            let text: String = parts.concat();
            let rows = wrap_filling(&text, max);
            for row in &rows {
                proptest::prop_assert!(width(row) <= max, "{}: {:?}", max, row);
            }
            let kept: String = rows.concat().chars().filter(|c| *c != ' ').collect();
            let given: String = text.chars().filter(|c| *c != ' ').collect();
            proptest::prop_assert_eq!(kept, given);
        }
    }
}
