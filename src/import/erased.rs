//! People erased on request stay erased: what `Store::forget` keeps of
//! them (salted one-way hashes of the keys the matcher finds a person by),
//! and whether a record of a file is one of them.
//!
//! The keys follow `Matcher::find`: the same id; a shared email; the same
//! name with the same joined date, unless both sides have emails (then an
//! email must be shared, which its own key catches).

use rustc_hash::FxHashSet;
use sha2::{Digest, Sha256};

use super::matching::{email_key, name_key};
use crate::domain::Person;

/// A hashed key: SHA-256 of the store's salt and the key's text.
pub type Hash = [u8; 32];

fn hash(salt: &[u8], key: &str) -> Hash {
    Sha256::new()
        .chain_update(salt)
        .chain_update(key.as_bytes())
        .finalize()
        .into()
}

fn id_key(id: &str) -> String {
    format!("id\u{1f}{id}")
}

fn mail_key(email: &str) -> String {
    format!("email\u{1f}{}", email_key(email))
}

/// The name with a joined date (or none), and whether the person it stands
/// for had an email.
fn name_joined_key(name: &str, joined: Option<chrono::NaiveDate>, emails: bool) -> String {
    let joined = joined.map(|d| d.to_string()).unwrap_or_default();
    format!("name\u{1f}{name}\u{1f}{joined}\u{1f}{}", u8::from(emails))
}

/// What an erasure keeps of `p`: the hash of each key a later record could
/// be matched to them by.
pub fn erasure_hashes(salt: &[u8], p: &Person) -> Vec<Hash> {
    let mut keys = Vec::new();
    if !p.id.is_empty() {
        keys.push(id_key(&p.id));
    }
    keys.extend(p.emails.iter().map(|e| mail_key(e)));
    let name = name_key(&p.name);
    let emails = !p.emails.is_empty();
    if p.stints.is_empty() {
        keys.push(name_joined_key(&name, None, emails));
    }
    for s in &p.stints {
        keys.push(name_joined_key(&name, s.joined, emails));
    }
    keys.iter().map(|k| hash(salt, k)).collect()
}

/// The erased people of a store, as hashes: its own (under its salt) and
/// those imported files brought (under the salts of their stores).
#[derive(Debug, Default)]
pub struct Erased {
    sets: Vec<(Vec<u8>, FxHashSet<Hash>)>,
}

impl Erased {
    pub fn new(salt: Vec<u8>, hashes: FxHashSet<Hash>) -> Erased {
        let mut e = Erased::default();
        e.add(&salt, hashes);
        e
    }

    /// Adds hashes kept under `salt`.
    pub fn add(&mut self, salt: &[u8], hashes: impl IntoIterator<Item = Hash>) {
        let at = match self.sets.iter().position(|(s, _)| s == salt) {
            Some(i) => i,
            None => {
                self.sets.push((salt.to_vec(), FxHashSet::default()));
                self.sets.len() - 1
            }
        };
        self.sets[at].1.extend(hashes);
    }

    /// Whether `hash` is kept under `salt` already.
    pub fn contains(&self, salt: &[u8], hash: &Hash) -> bool {
        self.sets
            .iter()
            .any(|(s, hashes)| s == salt && hashes.contains(hash))
    }

    pub fn is_empty(&self) -> bool {
        self.sets.iter().all(|(_, h)| h.is_empty())
    }

    /// Whether any set holds the hash of `key` under its salt.
    fn hit(&self, key: &str) -> bool {
        self.sets
            .iter()
            .any(|(salt, hashes)| !hashes.is_empty() && hashes.contains(&hash(salt, key)))
    }

    /// Whether someone with this id was erased.
    pub fn holds_id(&self, id: &str) -> bool {
        !id.is_empty() && self.hit(&id_key(id))
    }

    /// Whether `p` (a record that matched nobody stored) is someone erased:
    /// by id, by an email, or by name and joined date (when either side had
    /// no email).
    pub fn holds(&self, p: &Person) -> bool {
        if self.is_empty() {
            return false;
        }
        if self.holds_id(&p.id) {
            return true;
        }
        if p.emails.iter().any(|e| self.hit(&mail_key(e))) {
            return true;
        }
        let name = name_key(&p.name);
        let joined = p.stints.first().and_then(|s| s.joined);
        // Someone erased with an email is found by a name only when the
        // record has none (as the matcher would have merged them).
        self.hit(&name_joined_key(&name, joined, false))
            || (p.emails.is_empty() && self.hit(&name_joined_key(&name, joined, true)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stint;

    fn person(name: &str, email: Option<&str>, joined: Option<(i32, u32, u32)>) -> Person {
        Person {
            name: name.into(),
            emails: email.into_iter().map(Into::into).collect(),
            stints: joined
                .map(|(y, m, d)| Stint {
                    joined: chrono::NaiveDate::from_ymd_opt(y, m, d),
                    ..Default::default()
                })
                .into_iter()
                .collect(),
            ..Default::default()
        }
    }

    fn erased(people: &[Person]) -> Erased {
        let salt = b"0123456789abcdef".to_vec();
        let hashes = people
            .iter()
            .flat_map(|p| erasure_hashes(&salt, p))
            .collect();
        Erased::new(salt, hashes)
    }

    #[test]
    fn a_record_is_held_as_the_matcher_would_have_matched_it() {
        let mut with_id = person("Ken Sato", Some("ken@example.jp"), Some((2001, 4, 1)));
        with_id.id = "p-7".into();
        let no_email = person("田中 健太", None, Some((2003, 4, 1)));
        let card = person("Mia Park", None, None);
        let e = erased(&[with_id, no_email, card]);
        // By id alone, by an email in any case.
        let mut by_id = person("Someone Else", None, None);
        by_id.id = "p-7".into();
        assert!(e.holds(&by_id));
        assert!(e.holds(&person("K. Sato", Some("KEN@example.jp"), None)));
        // By name and joined date: an erased person who had an email only
        // when the record has none; one who had none, whatever the record.
        assert!(e.holds(&person("ken  sato", None, Some((2001, 4, 1)))));
        assert!(!e.holds(&person(
            "Ken Sato",
            Some("other@example.jp"),
            Some((2001, 4, 1))
        )));
        assert!(e.holds(&person(
            "田中　健太",
            Some("new@example.jp"),
            Some((2003, 4, 1))
        )));
        assert!(!e.holds(&person("田中 健太", None, Some((2004, 4, 1)))));
        // A card without stints, as a phone's vCard comes.
        assert!(e.holds(&person("Mia Park", None, None)));
        assert!(!e.holds(&person("Mia Park", None, Some((2010, 4, 1)))));
        // Another salt: nothing matches, unless its own hashes come too
        // (a file exported from another store).
        let mia = person("Mia Park", None, None);
        let hashes = e.sets[0].1.clone();
        let mut other = Erased::new(b"fedcba9876543210".to_vec(), hashes.clone());
        assert!(!other.holds(&mia));
        assert!(!Erased::default().holds(&mia));
        other.add(b"0123456789abcdef", hashes);
        assert!(other.holds(&mia) && other.holds_id("p-7") && !other.holds_id("p-8"));
    }
}
