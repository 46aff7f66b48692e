//! Compact shapes for a person's fields. A large roster stays in memory as
//! long as the address book is open, so each field takes the room its usual
//! content needs: a text most people leave empty is 8 bytes and allocates
//! nothing; a list most people leave empty is 8 bytes; a list that usually
//! holds one item keeps that item inline.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list that usually holds one item (emails, phones, stints), inline.
pub type One<T> = smallvec::SmallVec<[T; 1]>;

/// A list that is usually empty (tags, links, extra lines): 8 bytes, no
/// allocation while empty.
pub type Few<T> = thin_vec::ThinVec<T>;

/// A text most people leave empty (title, notes, consent purpose): 8 bytes,
/// nothing allocated while empty; once set, one allocation for up to 24
/// bytes (the text is a `Text` behind a thin pointer). Derefs to `str` like
/// the other texts.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RareText(Option<Box<super::Text>>);

impl RareText {
    pub fn as_str(&self) -> &str {
        self.0.as_deref().map_or("", |t| t.as_str())
    }
}

impl Deref for RareText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for RareText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for RareText {
    fn from(s: &str) -> Self {
        // Empty is `None`, so that equal texts compare equal.
        RareText((!s.is_empty()).then(|| Box::new(s.into())))
    }
}

impl From<String> for RareText {
    fn from(s: String) -> Self {
        RareText((!s.is_empty()).then(|| Box::new(s.into())))
    }
}

impl From<&String> for RareText {
    fn from(s: &String) -> Self {
        s.as_str().into()
    }
}

impl From<super::Text> for RareText {
    fn from(s: super::Text) -> Self {
        RareText((!s.is_empty()).then(|| Box::new(s)))
    }
}

impl From<&RareText> for super::Text {
    fn from(s: &RareText) -> Self {
        s.as_str().into()
    }
}

impl PartialEq<str> for RareText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RareText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for RareText {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for RareText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for RareText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RareText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RareText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(String::deserialize(d)?.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_text_is_small_and_empty_is_one_value() {
        assert_eq!(std::mem::size_of::<RareText>(), 8);
        assert_eq!(std::mem::size_of::<Few<super::super::Text>>(), 8);
        let empty: RareText = "".into();
        assert_eq!(empty, RareText::default());
        assert_eq!(RareText::from(String::new()), RareText::default());
        let t: RareText = "営業部長".into();
        assert_eq!(t, "営業部長");
        assert_eq!(t.len(), "営業部長".len());
        assert_eq!(format!("{t} {t:?}"), "営業部長 \"営業部長\"");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, "\"営業部長\"");
        assert_eq!(serde_json::from_str::<RareText>(&json).unwrap(), t);
        assert_eq!(serde_json::from_str::<RareText>("\"\"").unwrap(), empty);
    }

    #[test]
    fn one_keeps_a_single_item_inline() {
        let mut list: One<super::super::Text> = One::new();
        list.push("ken@example.jp".into());
        assert!(!list.spilled());
        list.push("ken@example.com".into());
        assert_eq!(list.len(), 2);
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"["ken@example.jp","ken@example.com"]"#
        );
    }

    /// A person stays in memory for as long as the address book is open,
    /// a million of them at once in a large network: their size is kept.
    #[test]
    fn a_person_and_a_stint_stay_small() {
        use super::super::{Person, Stint};
        assert_eq!(std::mem::size_of::<Stint>(), 24);
        assert_eq!(std::mem::size_of::<Person>(), 272);
    }
}
