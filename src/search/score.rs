//! How one query word scores against one field's text: exact and prefix
//! matches first, short words as typed, longer ones scattered within a word
//! or as typed across spaces; and against one person, the best field.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rustc_hash::FxHashMap;

use super::index::{EntryRef, Index, bag, fold};

/// A query word, with what ranking needs of it worked out once per query
/// instead of once per field: its bag, its length class, and a searcher.
pub(super) struct Word<'q> {
    pub text: &'q str,
    pub bag: u64,
    /// `bag` folded, for a field's bag.
    field_bag: u32,
    /// One or two characters: matched only as typed.
    short: bool,
    /// Holds a word break: no word of a text can be or start with it.
    breaks: bool,
    finder: memchr::memmem::Finder<'q>,
}

impl<'q> Word<'q> {
    pub(super) fn new(text: &'q str) -> Word<'q> {
        Word {
            text,
            bag: bag(text),
            field_bag: fold(bag(text)),
            short: is_short(text),
            breaks: text.is_empty() || text.chars().any(is_word_break),
            finder: memchr::memmem::Finder::new(text),
        }
    }
}

/// Bonus for matches a person would call exact: the whole field, a whole
/// word, or the start of a word. These outrank scattered subsequences.
/// Words of a text are separated by whitespace, `@` and `.`.
#[cfg(test)]
pub(super) fn exactness(text: &str, word: &str) -> i64 {
    exactness_of(text, &Word::new(word))
}

pub(super) fn exactness_of(text: &str, word: &Word) -> i64 {
    if text == word.text {
        return 300;
    }
    let t = text.as_bytes();
    if word.breaks {
        return if word.finder.find(t).is_some() { 40 } else { 0 };
    }
    let mut best = 0;
    // Scores the occurrence at `at`; true for a whole word (nothing beats it).
    // `word` is whole UTF-8, so `at` and the end are character boundaries.
    let mut visit = |at: usize| -> bool {
        let starts = match at.checked_sub(1).map(|i| t[i]) {
            None => true,
            Some(b) if b.is_ascii() => is_word_break(char::from(b)),
            Some(_) => text[..at].chars().next_back().is_some_and(is_word_break),
        };
        if !starts {
            best = best.max(40);
            return false;
        }
        let end = at + word.text.len();
        let ends = match t.get(end) {
            None => true,
            Some(b) if b.is_ascii() => is_word_break(char::from(*b)),
            Some(_) => text[end..].chars().next().is_some_and(is_word_break),
        };
        best = 100;
        ends
    };
    match word.text.as_bytes() {
        // Field texts are short: a plain loop finds a byte there sooner
        // than a vectorized search set up at every occurrence.
        [b] => {
            for (at, c) in t.iter().enumerate() {
                if c == b && visit(at) {
                    return 200;
                }
            }
        }
        _ => {
            for at in word.finder.find_iter(t) {
                if visit(at) {
                    return 200;
                }
            }
        }
    }
    best
}

pub(super) fn is_word_break(c: char) -> bool {
    c.is_whitespace() || c == '@' || c == '.'
}

/// Whether a query word is one or two characters long.
pub(super) fn is_short(word: &str) -> bool {
    word.chars().nth(2).is_none()
}

/// Points for a short word found as typed, so that it ranks by exactness
/// (whole field, whole word, start of a word, inside one).
pub(super) const SHORT_BASE: i64 = 20;

/// The score of one query word against one field's text. Words of one or
/// two characters match as typed (at the start of a word or inside one),
/// not as scattered subsequences: with so few letters nearly everyone
/// matches scattered, and such a list is noise. Longer words match fuzzily,
/// exact and prefix matches first.
pub(super) fn field_score(matcher: &SkimMatcherV2, text: &str, word: &Word) -> Option<i64> {
    field_score_with(matcher, text, word, &mut |a, b| {
        matcher.fuzzy_match(&text[a..b], word.text)
    })
}

/// `field_score` with the matcher's score of the word of `text` that holds
/// `word` as typed (`text[a..b]`) coming from `segment`, which may remember it.
pub(super) fn field_score_with(
    matcher: &SkimMatcherV2,
    text: &str,
    word: &Word,
    segment: &mut dyn FnMut(usize, usize) -> Option<i64>,
) -> Option<i64> {
    if word.short {
        let e = exactness_of(text, word);
        return (e > 0).then_some(e + SHORT_BASE);
    }
    // The matcher scores the words of the text (short tables, and the same
    // few words recur across a roster), not the whole field: first the
    // word that holds the query word as typed, else those that hold it
    // scattered. Over several words only as typed (`yamadataro` for
    // `yamada taro`). Each of these holds for a word's prefix when it holds
    // for the word, so a longer query word matches fewer people (narrowing).
    let t = text.as_bytes();
    let score = match word.finder.find(t) {
        Some(at) => {
            let start = memchr::memrchr(b' ', &t[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b' ', &t[at..]).map_or(t.len(), |i| at + i);
            segment(start, end)?
        }
        None => {
            let mut best = None;
            for (start, end) in words_holding(t, word.text.as_bytes()) {
                best = best.max(segment(start, end));
            }
            match best {
                Some(s) => s,
                None if across_spaces(t, word.text.as_bytes()).is_some() => {
                    matcher.fuzzy_match(text, word.text)?
                }
                None => return None,
            }
        }
    };
    Some(score + exactness_of(text, word))
}

/// The space-separated words of `text` (as byte ranges) that hold the
/// bytes of `needle` in order, found in one pass over `text`.
pub(super) fn words_holding<'a>(
    text: &'a [u8],
    needle: &'a [u8],
) -> impl Iterator<Item = (usize, usize)> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < text.len() {
            let start = at;
            let mut k = 0;
            while at < text.len() && text[at] != b' ' {
                if k < needle.len() && text[at] == needle[k] {
                    k += 1;
                }
                at += 1;
            }
            let end = at;
            at += 1;
            if k == needle.len() {
                return Some((start, end));
            }
        }
        None
    })
}

/// Where `text` holds `word` as typed once its spaces are left out: the
/// first byte of the match (a character boundary: a word's first byte
/// starts a character).
pub(super) fn across_spaces(text: &[u8], word: &[u8]) -> Option<usize> {
    let &first = word.first()?;
    (0..text.len()).filter(|&i| text[i] == first).find(|&i| {
        let mut rest = text[i..].iter().filter(|&&b| b != b' ');
        word.iter().all(|b| rest.next() == Some(b))
    })
}

/// Whether some field of `entry` could match a longer word that starts
/// with `word` (which did not match it): a word of three or more characters
/// matches a text as typed, scattered within one of its words, or as typed
/// across spaces (`field_score_with`), and each of those holds for its
/// prefix `word` as the characters in order within a word or as typed
/// across spaces.
pub(super) fn could_extend(index: &Index, entry: &EntryRef, word: &Word) -> bool {
    let w = word.text.as_bytes();
    index.fields_of(entry).iter().any(|f| {
        if f.bag & word.field_bag != word.field_bag {
            return false;
        }
        let t = index.text(f).as_bytes();
        words_holding(t, w).next().is_some() || across_spaces(t, w).is_some()
    })
}

/// What one ranking thread remembers for one query: the scores of shared
/// texts (departments, companies, tags) by (word, text start, text length),
/// and the matcher's scores of the field words that hold a query word, by
/// (word, that field word): each is matched once.
#[derive(Default)]
pub(super) struct Memo<'t> {
    pub shared: FxHashMap<(usize, u32, u16), Option<i64>>,
    segments: FxHashMap<(usize, &'t str), Option<i64>>,
}

/// The score of one query word (the `w`-th) against one entry: the best field.
pub(super) fn score_word<'t>(
    matcher: &SkimMatcherV2,
    index: &'t Index,
    entry: &EntryRef,
    (w, word): (usize, &Word),
    memo: &mut Memo<'t>,
) -> Option<i64> {
    let mut best = None;
    for f in index.fields_of(entry) {
        if f.bag & word.field_bag != word.field_bag {
            continue;
        }
        let text = index.text(f);
        let score = if f.shared {
            match memo.shared.get(&(w, f.start, f.len)) {
                Some(&s) => s,
                None => {
                    let s = field_score(matcher, text, word);
                    memo.shared.insert((w, f.start, f.len), s);
                    s
                }
            }
        } else {
            let segments = &mut memo.segments;
            field_score_with(matcher, text, word, &mut |a, b| {
                let seg = &text[a..b];
                *segments
                    .entry((w, seg))
                    .or_insert_with(|| matcher.fuzzy_match(seg, word.text))
            })
        };
        if let Some(s) = score {
            best = best.max(Some(s * f.field.weight()));
        }
    }
    best
}
