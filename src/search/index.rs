//! The in-memory search index: every person's searchable text, normalized
//! once, kept in one contiguous arena (no allocation per field), with a
//! character bag per field for the prefilter.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use super::normalize::{self, normalize};
use crate::domain::Person;

/// Which field of a person a query word matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    Reading,
    Romaji,
    Nickname,
    Email,
    Company,
    Department,
    Tags,
}

impl Field {
    /// Names and what people were called weigh more than where they work.
    pub(super) fn weight(self) -> i64 {
        match self {
            Field::Name | Field::Reading | Field::Romaji | Field::Nickname => 3,
            Field::Email => 2,
            Field::Company | Field::Department | Field::Tags => 1,
        }
    }
}

/// One field of one person: its text is `arena[start..start + len]`.
/// Twelve bytes: ranking a query word of three or more characters reads
/// every person's fields, so at a million people their size is the time.
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldRef {
    /// The field's bag, folded to 32 bits (`fold`).
    pub bag: u32,
    pub start: u32,
    /// At most 64 KiB of a field is indexed (16 bytes a field, not 24).
    pub len: u16,
    pub field: Field,
    /// The text is shared with other people (a department, a company,
    /// tags): ranking scores it once per query word.
    pub shared: bool,
}

/// What `Index::prefetch` asks for.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fetch {
    Entry,
    Fields,
}

/// One person: their fields are `fields[first..first + count]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct EntryRef {
    pub first: u32,
    pub count: u32,
    /// The bag of every field's characters together.
    pub all: u64,
}

/// A 64-bit set of the characters in `s` (letters and digits exactly, other
/// characters hashed): a word can only match text whose bag holds the
/// word's bag, so most of the roster is skipped without running the matcher.
pub(super) fn bag(s: &str) -> u64 {
    let mut b = 0u64;
    for c in s.chars() {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26,
            ' ' => continue,
            c if c.is_ascii() => 27,
            c => 28 + (c as u32 % 36),
        };
        b |= 1 << bit;
    }
    b
}

const _: () = assert!(std::mem::size_of::<FieldRef>() == 12);

/// A bag in 32 bits: letters, digits and other ASCII as they are, the bits
/// of other characters folded onto four. A word's folded bag is in a
/// text's folded bag whenever its bag is in the text's bag.
pub(super) fn fold(b: u64) -> u32 {
    let high = b >> 28;
    let folded = (high
        | high >> 4
        | high >> 8
        | high >> 12
        | high >> 16
        | high >> 20
        | high >> 24
        | high >> 28
        | high >> 32)
        & 0xF;
    (b & 0x0FFF_FFFF) as u32 | (folded as u32) << 28
}

/// Every index gets a new generation when it changes, so that a cache of
/// results (incremental narrowing) can tell it is stale.
static GENERATION: AtomicU64 = AtomicU64::new(1);

fn next_generation() -> u64 {
    GENERATION.fetch_add(1, Ordering::Relaxed)
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    arena: String,
    fields: Vec<FieldRef>,
    entries: Vec<EntryRef>,
    /// Arena bytes no entry points at any more (after edits).
    garbage: usize,
    generation: u64,
    /// Where each shared text (departments, companies, tags) already is.
    shared: HashMap<Box<str>, u32>,
}

/// Distinct shared texts kept at most (beyond, texts are stored per person).
const SHARED_TEXTS: usize = 65_536;

impl Index {
    /// Builds the index, the people split across the cores.
    pub fn build(people: &[Person]) -> Index {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if threads < 2 || people.len() < 20_000 {
            let mut index = Index::default();
            let mut romaji = RomajiCache::default();
            for p in people {
                index.append(p, &mut romaji);
            }
            index.generation = next_generation();
            return index;
        }
        let chunk = people.len().div_ceil(threads);
        let parts: Vec<Index> = std::thread::scope(|scope| {
            let handles: Vec<_> = people
                .chunks(chunk)
                .map(|part| scope.spawn(move || Index::build(part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("an index thread panicked"))
                .collect()
        });
        let mut index = Index {
            arena: String::with_capacity(parts.iter().map(|p| p.arena.len()).sum()),
            fields: Vec::with_capacity(parts.iter().map(|p| p.fields.len()).sum()),
            entries: Vec::with_capacity(people.len()),
            garbage: 0,
            generation: next_generation(),
            shared: HashMap::new(),
        };
        for part in parts {
            let (text, fields) = (index.arena.len() as u32, index.fields.len() as u32);
            index.arena.push_str(&part.arena);
            index.fields.extend(part.fields.iter().map(|f| FieldRef {
                start: f.start + text,
                ..*f
            }));
            index.entries.extend(part.entries.iter().map(|e| EntryRef {
                first: e.first + fields,
                ..*e
            }));
        }
        index
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The memory the index holds, in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.arena.capacity()
            + self.fields.capacity() * std::mem::size_of::<FieldRef>()
            + self.entries.capacity() * std::mem::size_of::<EntryRef>()
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Keeps the index in step with edits, without rebuilding it.
    pub fn push(&mut self, p: &Person) {
        self.append(p, &mut RomajiCache::default());
        self.generation = next_generation();
    }

    pub fn set(&mut self, i: usize, p: &Person) {
        self.garbage += self.text_len(i);
        self.append(p, &mut RomajiCache::default());
        let new = self.entries.pop().expect("just appended");
        self.entries[i] = new;
        self.changed();
    }

    pub fn remove(&mut self, i: usize) {
        self.garbage += self.text_len(i);
        self.entries.remove(i);
        self.changed();
    }

    fn text_len(&self, i: usize) -> usize {
        // Shared texts stay for the others who have them.
        self.entry_fields(i)
            .filter(|f| !f.shared)
            .map(|f| usize::from(f.len))
            .sum()
    }

    /// After an edit: a new generation, and the arena compacted once most
    /// of it is stale.
    fn changed(&mut self) {
        self.generation = next_generation();
        if self.garbage > 4096 && self.garbage > self.arena.len() / 2 {
            let mut fresh = Index {
                generation: self.generation,
                ..Index::default()
            };
            for i in 0..self.entries.len() {
                fresh.append_fields(self.entry_fields(i).map(|f| (f.field, self.text(f))));
            }
            *self = fresh;
        }
    }

    /// Asks the processor to fetch what scoring entry `i` reads, in two
    /// steps that the caller takes some entries apart, so that neither
    /// waits for memory (a scan reads each entry once, too sparsely for the
    /// hardware to guess): `Fetch::Entry` its entry, then `Fetch::Fields`
    /// its field references and first text (reading the entry, by then
    /// in cache).
    #[inline]
    pub(super) fn prefetch(&self, i: usize, what: Fetch) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            let fetch = |p: *const u8| {
                // SAFETY: prefetching has no effect on memory and cannot
                // fault; the pointers are within live allocations.
                unsafe { _mm_prefetch(p.cast::<i8>(), _MM_HINT_T0) }
            };
            match what {
                Fetch::Entry => {
                    if let Some(e) = self.entries.get(i) {
                        fetch(std::ptr::from_ref(e).cast());
                    }
                }
                Fetch::Fields => {
                    if let Some(e) = self.entries.get(i)
                        && let Some(f) = self.fields.get(e.first as usize)
                    {
                        fetch(std::ptr::from_ref(f).cast());
                        fetch(std::ptr::from_ref(f).wrapping_add(5).cast());
                        fetch(self.arena.as_ptr().wrapping_add(f.start as usize));
                        fetch(self.arena.as_ptr().wrapping_add(f.start as usize + 64));
                    }
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (i, what);
    }

    pub(super) fn entries(&self) -> &[EntryRef] {
        &self.entries
    }

    pub(super) fn fields_of(&self, e: &EntryRef) -> &[FieldRef] {
        &self.fields[e.first as usize..(e.first + e.count) as usize]
    }

    fn entry_fields(&self, i: usize) -> impl Iterator<Item = &FieldRef> {
        self.fields_of(&self.entries[i]).iter()
    }

    pub(super) fn text(&self, f: &FieldRef) -> &str {
        let start = f.start as usize;
        &self.arena[start..start + usize::from(f.len)]
    }

    /// Every field of entry `i` as (field, normalized text), for tests.
    pub fn fields(&self, i: usize) -> Vec<(Field, &str)> {
        self.entry_fields(i)
            .map(|f| (f.field, self.text(f)))
            .collect()
    }

    fn append(&mut self, p: &Person, romaji: &mut RomajiCache) {
        let fields = person_fields(p, romaji);
        self.append_fields(fields.iter().map(|(f, t)| (*f, t.as_str())));
    }

    fn append_fields<'t>(&mut self, fields: impl Iterator<Item = (Field, &'t str)>) {
        let first = self.fields.len() as u32;
        let mut all = 0;
        for (field, mut text) in fields {
            if text.len() > usize::from(u16::MAX) {
                let mut end = usize::from(u16::MAX);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text = &text[..end];
            }
            let shareable = matches!(field, Field::Department | Field::Company | Field::Tags);
            let known = shareable.then(|| self.shared.get(text).copied()).flatten();
            let start = match known {
                Some(start) => start,
                None => {
                    let start = self.arena.len() as u32;
                    self.arena.push_str(text);
                    if shareable && self.shared.len() < SHARED_TEXTS {
                        self.shared.insert(text.into(), start);
                    }
                    start
                }
            };
            let b = bag(text);
            all |= b;
            self.fields.push(FieldRef {
                start,
                len: text.len() as u16,
                bag: fold(b),
                field,
                shared: shareable,
            });
        }
        self.entries.push(EntryRef {
            first,
            count: self.fields.len() as u32 - first,
            all,
        });
    }

    /// Appends the next person from the search text the store keeps
    /// (`Encoder::encode`, people in order, as the store reads them); false
    /// when it was written by another version of the normalization (the
    /// index is then of no use).
    pub fn append_encoded(&mut self, text: &[u8]) -> bool {
        match decode(text) {
            Some(fields) => {
                self.append_fields(fields.into_iter());
                true
            }
            None => false,
        }
    }

    /// The index once every person was appended (`append_encoded`).
    pub fn finished(mut self) -> Index {
        self.arena.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.generation = next_generation();
        self
    }
}

/// A person's searchable fields, normalized, in index order.
pub(super) fn person_fields(p: &Person, romaji: &mut RomajiCache) -> Vec<(Field, String)> {
    let mut out = Vec::with_capacity(9);
    each_field(p, romaji, &mut |f, text| out.push((f, text.to_string())));
    out
}

/// Hands each of a person's searchable fields, normalized and not blank,
/// to `out` in index order (one buffer reused for the fields after the
/// names: the encoder runs for every person a bulk import writes).
fn each_field(p: &Person, romaji: &mut RomajiCache, out: &mut dyn FnMut(Field, &str)) {
    let mut put = |f: Field, text: &str| {
        if !text.trim().is_empty() {
            out(f, text);
        }
    };
    let name = normalize(&p.name);
    let reading = normalize(&p.reading);
    let nickname = normalize(&p.nickname);
    put(Field::Name, &name);
    put(Field::Reading, &reading);
    put(Field::Nickname, &nickname);
    let mut text = String::new();
    let mut joined = |f: Field, parts: &mut dyn Iterator<Item = &str>| {
        text.clear();
        for (i, part) in parts.enumerate() {
            if i > 0 {
                text.push(' ');
            }
            normalize::normalize_into(part, &mut text);
        }
        put(f, &text);
    };
    for e in &p.emails {
        joined(Field::Email, &mut std::iter::once(e.as_str()));
    }
    joined(Field::Company, &mut std::iter::once(p.company.as_str()));
    let mut depts: Vec<&str> = p.stints.iter().map(|s| s.department.as_str()).collect();
    depts.dedup();
    joined(Field::Department, &mut depts.into_iter());
    joined(Field::Tags, &mut p.tags.iter().map(|t| t.as_str()));
    text.clear();
    for names in [&reading, &nickname, &name] {
        romaji.of(names, &mut text);
    }
    put(Field::Romaji, &text);
}

/// The version of the normalization (and of the encoding) that search
/// texts kept in the store were made with. Change it whenever `normalize`,
/// the romaji spellings or the fields change: the store then recomputes them.
pub const ENCODING_VERSION: u8 = 2;

const FIELDS: [Field; 8] = [
    Field::Name,
    Field::Reading,
    Field::Romaji,
    Field::Nickname,
    Field::Email,
    Field::Company,
    Field::Department,
    Field::Tags,
];

/// Makes the search text the store keeps beside each person, so that the
/// index loads without normalizing anything: the version byte, then per
/// field its number, its length (u32, little-endian) and its text.
#[derive(Default)]
pub struct Encoder(RomajiCache);

impl Encoder {
    pub fn encode(&mut self, p: &Person) -> Vec<u8> {
        let mut out = Vec::with_capacity(192);
        out.push(ENCODING_VERSION);
        each_field(p, &mut self.0, &mut |f, text| {
            out.push(FIELDS.iter().position(|x| *x == f).unwrap_or(0) as u8);
            out.extend_from_slice(&(text.len() as u32).to_le_bytes());
            out.extend_from_slice(text.as_bytes());
        });
        out
    }
}

pub(super) fn decode(mut b: &[u8]) -> Option<Vec<(Field, &str)>> {
    if b.first() != Some(&ENCODING_VERSION) {
        return None;
    }
    b = &b[1..];
    let mut out = Vec::new();
    while !b.is_empty() {
        let field = *FIELDS.get(*b.first()? as usize)?;
        let len = u32::from_le_bytes(b.get(1..5)?.try_into().ok()?) as usize;
        let text = std::str::from_utf8(b.get(5..5 + len)?).ok()?;
        out.push((field, text));
        b = &b[5 + len..];
    }
    Some(out)
}

/// Romaji spellings per normalized kana word, computed once per distinct
/// word (readings repeat: family names, common given names).
#[derive(Default)]
pub(super) struct RomajiCache(rustc_hash::FxHashMap<Box<str>, Box<str>>);

impl RomajiCache {
    /// Appends the spellings of `text` (all of its words kana) to `out`.
    fn of(&mut self, text: &str, out: &mut String) {
        let mark = out.len();
        for word in text.split_whitespace() {
            // Words that do not start with kana have none (names in kanji
            // or in Latin letters), without a look in the cache.
            let kana_start = word
                .chars()
                .next()
                .is_some_and(|c| ('\u{3041}'..='\u{309F}').contains(&c) || c == 'ー' || c == '・');
            if !kana_start {
                out.truncate(mark); // not all kana: no romaji for this field
                return;
            }
            let r = match self.0.get(word) {
                Some(r) => r,
                None => {
                    let spellings = normalize::romaji_variants(word).join(" ");
                    self.0.entry(word.into()).or_insert(spellings.into())
                }
            };
            if r.is_empty() {
                out.truncate(mark); // not all kana: no romaji for this field
                return;
            }
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(r);
        }
    }
}
