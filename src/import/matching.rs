//! Which stored person a record is, and how it folds into them.
//!
//! The same person is: the same id; else a shared email (case-insensitive);
//! else the same name and the same joined date of one of their stints (so a
//! returner's second row, and a re-import of it, find the person again),
//! unless both sides have emails and none is shared.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

use super::Record;
use crate::domain::{One, Person, Stint, Text};

/// Names compare after NFKC, case folding and collapsing whitespace
/// (`田中　健太` with an ideographic space is `田中 健太`).
pub(super) fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len());
    // Most names are NFKC already (ASCII always): the quick check saves a copy.
    let plain = |c: char| c.is_ascii() || crate::search::normalize::is_plain_cjk(c);
    let normalized: std::borrow::Cow<str> = if name.chars().all(plain) {
        name.into()
    } else {
        match unicode_normalization::is_nfkc_quick(name.chars()) {
            unicode_normalization::IsNormalized::Yes => name.into(),
            _ => name.nfkc().collect::<String>().into(),
        }
    };
    for word in normalized.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        if word.is_ascii() {
            key.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else if word.chars().all(plain) {
            key.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            key.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    key
}

/// An email as matching compares it: lowercased (no copy made when it is
/// lowercase already, as nearly all are).
pub(super) fn email_key(e: &str) -> std::borrow::Cow<'_, str> {
    if e.bytes().any(|b| b.is_ascii_uppercase()) || !e.is_ascii() {
        e.to_lowercase().into()
    } else {
        e.into()
    }
}

#[derive(Default)]
pub(super) struct Matcher {
    by_id: Keys,
    by_email: Keys,
    /// Name key, then `NAME_END`, then the joined day (none: nothing).
    by_name_joined: Keys,
}

/// After a name in a `by_name_joined` key (a byte no UTF-8 text holds).
const NAME_END: u8 = 0xFF;

/// `name` and `joined` as one `by_name_joined` key, into `key`.
fn name_joined_key<'k>(
    key: &'k mut smallvec::SmallVec<[u8; 96]>,
    name: &str,
    joined: Option<NaiveDate>,
) -> &'k [u8] {
    use chrono::Datelike;
    key.clear();
    key.extend_from_slice(name.as_bytes());
    key.push(NAME_END);
    if let Some(d) = joined {
        key.extend_from_slice(&d.num_days_from_ce().to_le_bytes());
    }
    key
}

/// Keys of one kind, each kept once in one arena and found by its hash:
/// 16 bytes a key in the table and its bytes in the arena, where a map of
/// `String`s took 32-40 bytes and an allocation a key (a million people:
/// two maps of 2^21 slots, 144 MB of fresh memory, and 2 million strings).
/// The first person indexed under a key keeps it.
#[derive(Default)]
struct Keys {
    arena: Vec<u8>,
    /// (start in the arena, length, person)
    table: hashbrown::HashTable<(usize, u32, u32)>,
}

impl Keys {
    fn hash(key: &[u8]) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(key)
    }

    fn reserve(&mut self, n: usize, bytes: usize) {
        self.arena.reserve(bytes);
        let arena = &self.arena;
        self.table
            .reserve(n, |&(at, len, _)| Keys::hash(&arena[at..at + len as usize]));
    }

    fn get(&self, key: &[u8]) -> Option<usize> {
        let arena = &self.arena;
        self.table
            .find(Keys::hash(key), |&(at, len, _)| {
                &arena[at..at + len as usize] == key
            })
            .map(|&(_, _, i)| i as usize)
    }

    /// Indexes `i` under `key`, unless someone has it already.
    fn insert(&mut self, key: &[u8], i: usize) {
        let Keys { arena, table } = self;
        let hash = Keys::hash(key);
        let entry = table.entry(
            hash,
            |&(at, len, _)| &arena[at..at + len as usize] == key,
            |&(at, len, _)| Keys::hash(&arena[at..at + len as usize]),
        );
        if let hashbrown::hash_table::Entry::Vacant(slot) = entry {
            let at = arena.len();
            arena.extend_from_slice(key);
            // A key is one field of one person (far below 4 GiB), and a
            // person's place fits 32 bits (4 billion people would not fit
            // in memory).
            let len = u32::try_from(key.len()).expect("a key under 4 GiB");
            let i = u32::try_from(i).expect("fewer than 4 billion people");
            slot.insert((at, len, i));
        }
    }
}

impl Matcher {
    /// Room for `n` more people with an email and a stint each, so that the
    /// tables do not grow (rehashing every key) while a large file is
    /// matched.
    pub fn reserve(&mut self, n: usize) {
        self.by_email.reserve(n, n * 24);
        self.by_name_joined.reserve(n, n * 24);
    }

    /// Indexes `p`, whose name's key is `name` (`name_key`).
    pub fn index(&mut self, i: usize, p: &Person, name: &str) {
        if !p.id.is_empty() {
            self.by_id.insert(p.id.as_bytes(), i);
        }
        for e in &p.emails {
            self.by_email.insert(email_key(e).as_bytes(), i);
        }
        let mut key = smallvec::SmallVec::new();
        if p.stints.is_empty() {
            self.by_name_joined
                .insert(name_joined_key(&mut key, name, None), i);
        } else {
            for s in &p.stints {
                self.by_name_joined
                    .insert(name_joined_key(&mut key, name, s.joined), i);
            }
        }
    }

    /// Whether a person with this id is stored or came with the file.
    pub fn knows(&self, id: &str) -> bool {
        self.by_id.get(id.as_bytes()).is_some()
    }

    pub fn find(&self, p: &Person, name: &str, states: &[Person]) -> Option<usize> {
        if !p.id.is_empty() {
            return self.by_id.get(p.id.as_bytes());
        }
        if let Some(i) = p
            .emails
            .iter()
            .find_map(|e| self.by_email.get(email_key(e).as_bytes()))
        {
            return Some(i);
        }
        let joined = p.stints.first().and_then(|s| s.joined);
        let mut key = smallvec::SmallVec::new();
        let i = self
            .by_name_joined
            .get(name_joined_key(&mut key, name, joined))?;
        // Two namesakes who joined on the same April 1st, each with an email
        // of their own, are two people.
        (p.emails.is_empty() || states[i].emails.is_empty()).then_some(i)
    }
}

/// Adds to a list what `src` has and it lacks; says whether it added any.
fn gain<L>(dst: &mut L, src: &[Text], fold_case: bool) -> bool
where
    L: std::ops::Deref<Target = [Text]> + Extend<Text>,
{
    let mut changed = false;
    for v in src {
        let known = dst
            .iter()
            .any(|d| d == v || (fold_case && d.eq_ignore_ascii_case(v)));
        if !known {
            dst.extend([v.clone()]);
            changed = true;
        }
    }
    changed
}

/// Sets `dst` to `src` and says whether that changed anything.
fn set<T: PartialEq + Clone>(dst: &mut T, src: &T) -> bool {
    if dst == src {
        return false;
    }
    dst.clone_from(src);
    true
}

/// How a merge treats a single value (company, location ...) the person
/// has and the record gives differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Merge {
    /// The record's wins (an HR export says where someone is now); the
    /// summary lists each stored value replaced.
    Overwrite,
    /// The stored one stays (a phone's card adds and erases nothing); the
    /// summary lists the values of the record left out.
    Keep,
}

/// A value a merge left out: the record's `file` value for `field`, where
/// the person kept `stored`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Kept {
    pub field: &'static str,
    pub stored: String,
    pub file: String,
}

/// Whitespace folded to single spaces, for asking whether one note holds
/// another (a phone's `\n`, a CSV cell's CRLF, trailing blanks).
fn folded(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the text `outer` holds all of `inner` (whitespace aside).
pub(super) fn holds(outer: &str, inner: &str) -> bool {
    outer == inner || outer.contains(inner) || folded(outer).contains(&folded(inner))
}

/// Adds a record's notes to the person's: never replaced, so what the
/// coordinator wrote stays. Text already there adds nothing (a re-import
/// changes nothing); a note that holds all of the stored one and more takes
/// its place; any other is appended as a new paragraph.
fn add_notes(dst: &mut crate::domain::RareText, src: &str) -> bool {
    let src = src.trim();
    if src.is_empty() || holds(dst, src) {
        return false;
    }
    let joined = if dst.trim().is_empty() || holds(src, dst) {
        src.to_string()
    } else {
        format!("{}\n\n{src}", dst.trim_end())
    };
    *dst = joined.as_str().into();
    true
}

/// Folds a record (a CSV row, a phone's card) into a person: lists gain
/// what is new, notes are added to (`add_notes`), a single value fills an
/// empty field and otherwise follows `how`; a stint with a known joined
/// date is updated, else added. Empty cells never erase what the store
/// knows. A consent that changes without a date of its own is dated
/// `today` (the old date was of the old answer). Values left out under
/// `Merge::Keep` are pushed to `kept`. Returns whether the person changed.
pub(super) fn merge(
    into: &mut Person,
    rec: &Record,
    how: Merge,
    today: NaiveDate,
    kept: &mut Vec<Kept>,
) -> bool {
    let p = &rec.person;
    let mut changed = false;
    let mut single = |field: &'static str, dst: &mut dyn Single, src: &str| {
        if src.is_empty() || dst.get() == src {
            return;
        }
        if how == Merge::Keep && !dst.get().is_empty() {
            kept.push(Kept {
                field,
                stored: dst.get().to_string(),
                file: src.to_string(),
            });
            return;
        }
        dst.put(src);
        changed = true;
    };
    single("name", &mut into.name, &p.name);
    single("reading", &mut into.reading, &p.reading);
    single("nickname", &mut into.nickname, &p.nickname);
    single("company", &mut into.company, &p.company);
    single("location", &mut into.location, &p.location);
    single("title", &mut into.title, &p.title);
    single(
        "consent_purpose",
        &mut into.consent_purpose,
        &p.consent_purpose,
    );
    changed |= add_notes(&mut into.notes, &p.notes);
    changed |= gain(&mut into.emails, &p.emails, true);
    changed |= gain(&mut into.phones, &p.phones, false);
    for (dst, src) in [
        (&mut into.links, &p.links),
        (&mut into.tags, &p.tags),
        (&mut into.extra, &p.extra),
    ] {
        changed |= gain(dst, src, false);
    }
    if rec.consent_given && set(&mut into.consent, &p.consent) {
        changed = true;
        if p.consent_date.is_none() {
            changed |= set(&mut into.consent_date, &Some(today));
        }
    }
    if p.consent_date.is_some() {
        changed |= set(&mut into.consent_date, &p.consent_date);
    }
    if rec.closeness_given {
        changed |= set(&mut into.closeness, &p.closeness);
    }
    // An older export must not move the last contact back in time.
    let latest = into.last_contacted.max(p.last_contacted);
    changed |= set(&mut into.last_contacted, &latest);
    for s in &p.stints {
        changed |= merge_stint(&mut into.stints, s);
    }
    changed
}

/// A person's single text field, whichever of the text types it is.
trait Single {
    fn get(&self) -> &str;
    fn put(&mut self, v: &str);
}

impl<T> Single for T
where
    T: std::ops::Deref<Target = str> + for<'a> From<&'a str>,
{
    fn get(&self) -> &str {
        self
    }
    fn put(&mut self, v: &str) {
        *self = v.into();
    }
}

/// The stored values an import replaced or erased (or, for notes, left
/// out of the new text): `(field, stored, now)`, stints named by their
/// joined date. Closeness is a value too; consent has its own log.
pub(super) fn replaced(before: &Person, after: &Person) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut check = |field: &str, b: &str, a: &str| {
        if !b.is_empty() && b != a {
            out.push((field.to_string(), b.to_string(), a.to_string()));
        }
    };
    check("name", &before.name, &after.name);
    check("reading", &before.reading, &after.reading);
    check("nickname", &before.nickname, &after.nickname);
    check("company", &before.company, &after.company);
    check("title", &before.title, &after.title);
    check("location", &before.location, &after.location);
    check(
        "consent_purpose",
        &before.consent_purpose,
        &after.consent_purpose,
    );
    if before.closeness != after.closeness {
        check(
            "closeness",
            before.closeness.as_str(),
            after.closeness.as_str(),
        );
    }
    for s in &before.stints {
        let Some(t) = after.stints.iter().find(|t| t.joined == s.joined) else {
            continue;
        };
        let at = s
            .joined
            .map_or_else(|| "undated".to_string(), |d| d.to_string());
        let iso = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        check(&format!("stint {at}: left"), &iso(s.left), &iso(t.left));
        check(
            &format!("stint {at}: department"),
            &s.department,
            &t.department,
        );
        check(&format!("stint {at}: role"), &s.role, &t.role);
    }
    if !before.notes.trim().is_empty() && !holds(&after.notes, before.notes.trim()) {
        out.push((
            "notes".into(),
            before.notes.to_string(),
            after.notes.to_string(),
        ));
    }
    out
}

fn merge_stint(stints: &mut One<Stint>, s: &Stint) -> bool {
    let same = stints
        .iter_mut()
        .find(|e| e.joined == s.joined && (s.joined.is_some() || e.department == s.department));
    match same {
        Some(e) => {
            let mut changed = false;
            if s.left.is_some() {
                changed |= set(&mut e.left, &s.left);
            }
            if !s.department.is_empty() {
                changed |= set(&mut e.department, &s.department);
            }
            if !s.role.is_empty() {
                changed |= set(&mut e.role, &s.role);
            }
            changed
        }
        None => {
            // Keep stints in time order; undated ones last.
            let at = stints
                .iter()
                .position(|e| match (s.joined, e.joined) {
                    (Some(a), Some(b)) => a < b,
                    (Some(_), None) => true,
                    _ => false,
                })
                .unwrap_or(stints.len());
            stints.insert(at, s.clone());
            true
        }
    }
}

/// Replaces a person wholesale (JSON is full fidelity), keeping the stored id.
pub(super) fn replace(into: &mut Person, rec: &Record) -> bool {
    let mut p = rec.person.clone();
    p.id.clone_from(&into.id);
    set(into, &p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_fold_case_width_and_every_kind_of_space() {
        assert_eq!(name_key("Ken\x0BSato"), "ken sato");
        assert_eq!(name_key("  KEN \t Sato "), "ken sato");
        assert_eq!(name_key("田中　健太"), "田中 健太");
        assert_eq!(name_key("ＫＥＮ　Ｓａｔｏ"), "ken sato");
        assert_eq!(name_key("Élodie DUPONT"), "élodie dupont");
    }

    #[test]
    fn notes_are_added_to_never_replaced() {
        let mut n = crate::domain::RareText::from("");
        assert!(add_notes(&mut n, "  Met at the 2016 reunion\nlikes ramen "));
        assert_eq!(n.as_str(), "Met at the 2016 reunion\nlikes ramen");
        // Held already, also with other line breaks or spacing: no change.
        for again in [
            "Met at the 2016 reunion\nlikes ramen",
            "likes ramen",
            "reunion\r\nlikes",
            "",
        ] {
            assert!(!add_notes(&mut n, again), "{again:?}");
        }
        assert!(add_notes(&mut n, "Moved to Osaka"));
        assert_eq!(
            n.as_str(),
            "Met at the 2016 reunion\nlikes ramen\n\nMoved to Osaka"
        );
        assert!(!add_notes(&mut n, "Moved to Osaka"));
        // A text holding all of them and more takes their place.
        let all = "Met at the 2016 reunion likes ramen Moved to Osaka, then Kobe";
        assert!(add_notes(&mut n, all));
        assert_eq!(n.as_str(), all);
    }

    #[test]
    fn email_keys_are_lowercase_and_copy_only_when_needed() {
        assert!(matches!(
            email_key("ken@example.jp"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(email_key("Ken@Example.JP"), "ken@example.jp");
        assert_eq!(email_key("ÉLODIE@x.fr"), "élodie@x.fr");
    }

    #[test]
    fn keys_find_what_was_indexed_and_the_first_keeps_it() {
        let mut keys = Keys::default();
        // No room reserved: the table grows, hashing the arena's keys again.
        for i in 0..5_000 {
            keys.insert(format!("user{i}@example.com").as_bytes(), i);
        }
        keys.insert(b"user7@example.com", 9_999);
        assert_eq!(
            keys.get(b"user7@example.com"),
            Some(7),
            "the first keeps it"
        );
        assert_eq!(keys.get(b"user4999@example.com"), Some(4_999));
        assert_eq!(keys.get(b"user5000@example.com"), None);
        assert_eq!(keys.get(b"user7@example.co"), None, "not a prefix");
        assert_eq!(keys.get(b""), None);
        keys.insert(b"", 3);
        assert_eq!(keys.get(b""), Some(3));
    }

    #[test]
    fn a_name_and_a_joined_day_are_one_key() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let mut key = smallvec::SmallVec::new();
        let mut keys = Keys::default();
        keys.insert(name_joined_key(&mut key, "田中 健太", day("2015-04-01")), 0);
        keys.insert(name_joined_key(&mut key, "田中 健太", None), 1);
        keys.insert(name_joined_key(&mut key, "田中 健", day("2015-04-01")), 2);
        let find = |name: &str, joined| keys.get(name_joined_key(&mut key.clone(), name, joined));
        assert_eq!(find("田中 健太", day("2015-04-01")), Some(0));
        assert_eq!(find("田中 健太", None), Some(1));
        assert_eq!(find("田中 健", day("2015-04-01")), Some(2));
        assert_eq!(find("田中 健太", day("2015-04-02")), None);
        assert_eq!(find("田中 健", None), None);
    }
}
