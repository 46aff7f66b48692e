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
#[derive(Debug, Clone, Copy)]
pub(super) struct FieldRef {
    pub start: u32,
    pub len: u32,
    pub bag: u64,
    pub field: Field,
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
}

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
        self.entry_fields(i).map(|f| f.len as usize).sum()
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
                let first = fresh.fields.len() as u32;
                for f in self.entry_fields(i) {
                    let start = fresh.arena.len() as u32;
                    fresh.arena.push_str(self.text(f));
                    fresh.fields.push(FieldRef { start, ..*f });
                }
                fresh.entries.push(EntryRef {
                    first,
                    ..self.entries[i]
                });
            }
            *self = fresh;
        }
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
        &self.arena[f.start as usize..(f.start + f.len) as usize]
    }

    /// Every field of entry `i` as (field, normalized text), for tests.
    pub fn fields(&self, i: usize) -> Vec<(Field, &str)> {
        self.entry_fields(i)
            .map(|f| (f.field, self.text(f)))
            .collect()
    }

    fn append(&mut self, p: &Person, romaji: &mut RomajiCache) {
        let first = self.fields.len() as u32;
        let push = |index: &mut Index, f: Field, n: &str| {
            if n.trim().is_empty() {
                return;
            }
            let start = index.arena.len() as u32;
            index.arena.push_str(n);
            index.fields.push(FieldRef {
                start,
                len: n.len() as u32,
                bag: bag(n),
                field: f,
            });
        };
        let name = normalize(&p.name);
        let reading = normalize(&p.reading);
        let nickname = normalize(&p.nickname);
        push(self, Field::Name, &name);
        push(self, Field::Reading, &reading);
        push(self, Field::Nickname, &nickname);
        for e in &p.emails {
            push(self, Field::Email, &normalize(e));
        }
        push(self, Field::Company, &normalize(&p.company));
        let mut depts: Vec<&str> = p.stints.iter().map(|s| s.department.as_str()).collect();
        depts.dedup();
        push(self, Field::Department, &normalize(&depts.join(" ")));
        push(self, Field::Tags, &normalize(&p.tags.join(" ")));
        let mut r = String::new();
        for text in [&reading, &nickname, &name] {
            romaji.of(text, &mut r);
        }
        push(self, Field::Romaji, &r);
        let fields = &self.fields[first as usize..];
        self.entries.push(EntryRef {
            first,
            count: fields.len() as u32,
            all: fields.iter().fold(0, |acc, f| acc | f.bag),
        });
    }
}

/// Romaji spellings per normalized kana word, computed once per distinct
/// word (readings repeat: family names, common given names).
#[derive(Default)]
struct RomajiCache(HashMap<String, String>);

impl RomajiCache {
    /// Appends the spellings of `text` (all of its words kana) to `out`.
    fn of(&mut self, text: &str, out: &mut String) {
        let mark = out.len();
        for word in text.split_whitespace() {
            let r = self
                .0
                .entry(word.to_string())
                .or_insert_with(|| normalize::romaji_variants(word).join(" "));
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
