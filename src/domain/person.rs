//! A former employee and their stints at the company.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::compact::{Few, One, RareText};
use super::date::iso_opt;
use super::shared::Shared;

/// Text of a person's record: up to 24 bytes (nearly every name, reading,
/// id, company, tag and email) kept inline, without an allocation of its
/// own; a large roster stays in memory while the address book is open.
pub type Text = compact_str::CompactString;

/// Whether the person agreed to be contacted. `No` is absolute: such a person
/// is never offered for an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    Yes,
    No,
    #[default]
    Unknown,
}

impl Consent {
    pub const ALL: [Consent; 3] = [Consent::Yes, Consent::No, Consent::Unknown];

    pub fn as_str(self) -> &'static str {
        match self {
            Consent::Yes => "yes",
            Consent::No => "no",
            Consent::Unknown => "unknown",
        }
    }

    /// Lenient parsing for spreadsheets: `yes`, `y`, `true`, `可`, `同意` ...
    pub fn parse(s: &str) -> Option<Consent> {
        // As alumni writes them: no lowercased copy.
        match s {
            "yes" => return Some(Consent::Yes),
            "no" => return Some(Consent::No),
            "unknown" | "" => return Some(Consent::Unknown),
            _ => {}
        }
        match s.trim().to_lowercase().as_str() {
            "yes" | "y" | "true" | "1" | "ok" | "可" | "同意" | "はい" | "○" | "◯" => {
                Some(Consent::Yes)
            }
            "no" | "n" | "false" | "0" | "否" | "不可" | "拒否" | "いいえ" | "×" => {
                Some(Consent::No)
            }
            "unknown" | "?" | "不明" | "未確認" | "" => Some(Consent::Unknown),
            _ => None,
        }
    }
}

/// How close the person still is to the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Closeness {
    Close,
    #[default]
    InTouch,
    Distant,
    Lost,
}

impl Closeness {
    pub const ALL: [Closeness; 4] = [
        Closeness::Close,
        Closeness::InTouch,
        Closeness::Distant,
        Closeness::Lost,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Closeness::Close => "close",
            Closeness::InTouch => "in_touch",
            Closeness::Distant => "distant",
            Closeness::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<Closeness> {
        if let Some(c) = Closeness::ALL.into_iter().find(|c| c.as_str() == s) {
            return Some(c); // as alumni writes it: no copies
        }
        match s.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
            "close" | "親しい" | "親密" => Some(Closeness::Close),
            "in_touch" | "intouch" | "連絡あり" | "普通" => Some(Closeness::InTouch),
            "distant" | "疎遠" => Some(Closeness::Distant),
            "lost" | "音信不通" | "不明" => Some(Closeness::Lost),
            _ => None,
        }
    }
}

/// A change of someone's consent, as the store logged it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentChange {
    /// The day alumni recorded the change.
    pub recorded_on: NaiveDate,
    pub consent: Consent,
    pub purpose: String,
    /// The day the person gave this answer, as stated with it (a file's
    /// `consent_date`, the form's consent date); `None` when not stated.
    #[serde(default, with = "iso_opt")]
    pub stated_on: Option<NaiveDate>,
}

/// One period of employment. People leave and come back, so a person has several.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Stint {
    /// Joined date; `None` when the HR export did not say.
    #[serde(with = "iso_opt")]
    pub joined: Option<NaiveDate>,
    /// Left date; `None` = still employed, or unknown.
    #[serde(with = "iso_opt")]
    pub left: Option<NaiveDate>,
    pub department: Shared,
    pub role: Shared,
}

impl Stint {
    pub fn is_empty(&self) -> bool {
        self.joined.is_none()
            && self.left.is_none()
            && self.department.is_empty()
            && self.role.is_empty()
    }
}

/// A former employee. Optional fields default to empty, consent `unknown`,
/// closeness `in_touch`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Person {
    pub id: Text,
    pub name: Text,
    /// Kana or other phonetic spelling; used for sorting and search.
    pub reading: Text,
    /// What colleagues called them back then.
    pub nickname: Text,
    pub emails: One<Text>,
    pub phones: One<Text>,
    /// SNS or profile URLs.
    pub links: Few<Text>,
    pub company: Shared,
    pub title: RareText,
    pub location: Shared,
    pub tags: Few<Text>,
    pub notes: RareText,
    pub consent: Consent,
    /// When the consent answer was recorded.
    #[serde(with = "iso_opt")]
    pub consent_date: Option<NaiveDate>,
    /// What they agreed (or refused) to be contacted for: "reunions and
    /// the alumni newsletter".
    #[serde(skip_serializing_if = "str::is_empty")]
    pub consent_purpose: RareText,
    pub closeness: Closeness,
    #[serde(with = "iso_opt")]
    pub last_contacted: Option<NaiveDate>,
    pub stints: One<Stint>,
    /// Data from other formats with no field of its own (a vCard's unknown
    /// properties, as their unfolded lines), kept so that export can give it back.
    #[serde(skip_serializing_if = "Few::is_empty")]
    pub extra: Few<Text>,
}

impl Person {
    /// The earliest joined date over all stints.
    pub fn first_joined(&self) -> Option<NaiveDate> {
        self.stints.iter().filter_map(|s| s.joined).min()
    }

    /// The stint that started last (the most recent department and role).
    pub fn last_stint(&self) -> Option<&Stint> {
        self.stints.iter().max_by_key(|s| s.joined)
    }

    /// Problems that make this person unfit to store, as `(field, message)`.
    /// Fields are named as in the JSON format (`stints[1].left`).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push(("name".to_string(), "is required".to_string()));
        }
        for (i, e) in self.emails.iter().enumerate() {
            if let Some(why) = email_problem(e) {
                out.push((format!("emails[{i}]"), why));
            }
        }
        for (i, s) in self.stints.iter().enumerate() {
            if let (Some(j), Some(l)) = (s.joined, s.left)
                && l < j
            {
                out.push((
                    format!("stints[{i}].left"),
                    format!("{l} is before the joined date {j}"),
                ));
            }
        }
        out
    }
}

/// Why `e` is not a plausible email address, if it isn't. Deliberately loose:
/// one `@` with something on both sides, a dot in the domain, no spaces.
pub fn email_problem(e: &str) -> Option<String> {
    let ok = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    };
    (!ok).then(|| format!("not an email address: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_enums() {
        assert_eq!(Consent::parse("Yes"), Some(Consent::Yes));
        assert_eq!(Consent::parse("否"), Some(Consent::No));
        assert_eq!(Consent::parse(""), Some(Consent::Unknown));
        assert_eq!(Consent::parse("perhaps"), None);
        assert_eq!(Closeness::parse("In Touch"), Some(Closeness::InTouch));
        assert_eq!(Closeness::parse("疎遠"), Some(Closeness::Distant));
        assert_eq!(Closeness::parse("best friends"), None);
    }

    #[test]
    fn emails() {
        assert!(email_problem("ken@example.jp").is_none());
        for bad in [
            "ken",
            "ken@",
            "@example.jp",
            "ken@example",
            "k en@example.jp",
            "a@b@c.jp",
        ] {
            assert!(email_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn problems_name_the_field() {
        let p = Person {
            name: " ".into(),
            stints: [Stint {
                joined: NaiveDate::from_ymd_opt(2005, 1, 1),
                left: NaiveDate::from_ymd_opt(2004, 1, 1),
                ..Default::default()
            }]
            .into(),
            ..Default::default()
        };
        let fields: Vec<String> = p.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["name", "stints[0].left"]);
    }
}
