//! `Shared`: a text many people share (a company, a town, a department, a
//! role), 8 bytes, one copy of each distinct text for the whole process.
//!
//! Written here rather than taken from a crate: ustr's handle is as small
//! but its table starts with room for a million texts (8 MiB, zeroed, and
//! resident where it reuses memory a loaded roster freed: 100,000 people
//! held 4-8 MiB more), and internment's `Intern<str>` is a 16-byte pointer.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{LazyLock, Mutex};

use rustc_hash::FxHashMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A text interned for the process: a thin pointer to where its one copy
/// is. Distinct texts are never freed, which suits values that recur across
/// a roster (a million people name a few thousand companies), not free
/// text. Derefs to `str`; `Copy`; equal texts are the same pointer.
#[derive(Clone, Copy)]
pub struct Shared(&'static &'static str);

static EMPTY: &str = "";

/// Every distinct text made so far, by its text.
static TEXTS: LazyLock<Mutex<FxHashMap<&'static str, Shared>>> =
    LazyLock::new(|| Mutex::new(FxHashMap::default()));

thread_local! {
    /// What this thread has already looked up: loading a large roster
    /// interns millions of texts on two threads, most of them the same few.
    static SEEN: std::cell::RefCell<FxHashMap<&'static str, Shared>> =
        std::cell::RefCell::new(FxHashMap::default());
}

impl Shared {
    pub fn new(text: &str) -> Shared {
        if text.is_empty() {
            return Shared::default();
        }
        // (`try_with`: a thread that is ending has no list any more.)
        if let Some(s) = SEEN
            .try_with(|seen| seen.borrow().get(text).copied())
            .ok()
            .flatten()
        {
            return s;
        }
        let s = {
            // A panic elsewhere while this was held leaves the map whole
            // (insertions are single calls): go on with it.
            let mut texts = TEXTS.lock().unwrap_or_else(|e| e.into_inner());
            match texts.get(text) {
                Some(&s) => s,
                None => {
                    let copy: &'static str = Box::leak(text.into());
                    let s = Shared(Box::leak(Box::new(copy)));
                    texts.insert(copy, s);
                    s
                }
            }
        };
        let _ = SEEN.try_with(|seen| seen.borrow_mut().insert(s.as_str(), s));
        s
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl Default for Shared {
    fn default() -> Self {
        Shared(&EMPTY)
    }
}

impl Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl From<&str> for Shared {
    fn from(s: &str) -> Self {
        Shared::new(s)
    }
}

impl From<String> for Shared {
    fn from(s: String) -> Self {
        Shared::new(&s)
    }
}

impl From<&String> for Shared {
    fn from(s: &String) -> Self {
        Shared::new(s)
    }
}

impl From<Shared> for String {
    fn from(s: Shared) -> Self {
        s.as_str().to_string()
    }
}

impl PartialEq<Shared> for String {
    fn eq(&self, other: &Shared) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<Shared> for str {
    fn eq(&self, other: &Shared) -> bool {
        self == other.as_str()
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        // One copy of each text: the same text is the same pointer.
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Shared {}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Hash for Shared {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialOrd for Shared {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Shared {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Display for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for Shared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Shared {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Shared;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Shared, E> {
                Ok(Shared::new(v))
            }
        }
        d.deserialize_str(Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_copy_of_each_text_read_as_that_text() {
        assert_eq!(std::mem::size_of::<Shared>(), 8);
        let a: Shared = "株式会社アルファ".into();
        let b: Shared = String::from("株式会社アルファ").into();
        assert_eq!(a, b);
        assert_eq!(a.as_ptr(), b.as_ptr(), "one copy for the process");
        assert_eq!(a, "株式会社アルファ");
        assert_ne!(a, Shared::from("株式会社ベータ"));
        assert_eq!(Shared::from(""), Shared::default());
        assert_eq!(Shared::default(), "");
        assert!(
            Shared::from("Acme") < Shared::from("Beta"),
            "ordered as text"
        );
        assert_eq!(
            format!("{a} {a:?}"),
            "株式会社アルファ \"株式会社アルファ\""
        );
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"株式会社アルファ\"");
        assert_eq!(serde_json::from_str::<Shared>(&json).unwrap(), a);
        // An escaped text is made owned by the parser: the same text.
        assert_eq!(
            serde_json::from_str::<Shared>(
                "\"\\u682a\u{5f0f}\u{4f1a}\u{793e}\u{30a2}\u{30eb}\u{30d5}\u{30a1}\""
            )
            .unwrap(),
            a
        );
    }

    #[test]
    fn threads_share_the_one_copy() {
        let here = Shared::from("営業部");
        let there = std::thread::spawn(|| Shared::from("営業部").as_ptr() as usize)
            .join()
            .unwrap();
        assert_eq!(here.as_ptr() as usize, there);
        let made: Vec<Shared> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|t| s.spawn(move || Shared::from(format!("team {}", t % 2).as_str())))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(made[0], made[2]);
        assert_eq!(made[1], made[3]);
        assert_ne!(made[0], made[1]);
    }
}
