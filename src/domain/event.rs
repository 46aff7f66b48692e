//! Cohorts (named groups of people) and events with their invitations.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date::iso_opt;

/// A hand-made group or team. Generation cohorts are computed from stints and
/// are not stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cohort {
    pub id: String,
    pub name: String,
    /// Person ids, in the order they were added.
    pub members: Vec<super::Text>,
}

/// The reply to (or outcome of) an invitation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    #[default]
    Invited,
    Accepted,
    Declined,
    Maybe,
    Attended,
    NoShow,
}

impl InvitationStatus {
    pub const ALL: [InvitationStatus; 6] = [
        InvitationStatus::Invited,
        InvitationStatus::Accepted,
        InvitationStatus::Declined,
        InvitationStatus::Maybe,
        InvitationStatus::Attended,
        InvitationStatus::NoShow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvitationStatus::Invited => "invited",
            InvitationStatus::Accepted => "accepted",
            InvitationStatus::Declined => "declined",
            InvitationStatus::Maybe => "maybe",
            InvitationStatus::Attended => "attended",
            InvitationStatus::NoShow => "no_show",
        }
    }

    pub fn parse(s: &str) -> Option<InvitationStatus> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Invitation {
    pub person: String,
    pub status: InvitationStatus,
    /// The parts of the event (by name) this person came to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attended_parts: Vec<String>,
}

/// A reunion or gathering.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Event {
    pub id: String,
    pub name: String,
    /// `None` while the date is not fixed yet.
    #[serde(with = "iso_opt")]
    pub date: Option<NaiveDate>,
    pub venue: String,
    pub notes: String,
    /// Named parts, in order (一次会, 二次会); attendance is kept per part.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<String>,
    pub invitations: Vec<Invitation>,
    /// Invitations of people who were forgotten on request: counts only.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub anonymous: std::collections::BTreeMap<InvitationStatus, u32>,
    /// Of those forgotten people, how many came to each part (by name).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub anonymous_parts: std::collections::BTreeMap<String, u32>,
}

/// An event's parts as typed in a list: separated by commas, ASCII `,`
/// (as `--parts 一次会,二次会`), Japanese `、` or full-width `，` (or `;`,
/// what the form once took), trimmed, empty ones left out. Duplicates are
/// kept, for the caller to refuse (`duplicate_part`).
pub fn split_parts(text: &str) -> Vec<String> {
    text.split([',', '、', '，', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The first part named twice, if any.
pub fn duplicate_part(parts: &[String]) -> Option<&str> {
    let mut seen = std::collections::HashSet::new();
    parts
        .iter()
        .find(|p| !seen.insert(p.as_str()))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_split_on_any_comma_and_duplicates_are_found() {
        assert_eq!(split_parts("一次会, 二次会"), ["一次会", "二次会"]);
        assert_eq!(
            split_parts("一次会、二次会，三次会"),
            ["一次会", "二次会", "三次会"]
        );
        assert_eq!(
            split_parts(" Dinner ;After-party, ,"),
            ["Dinner", "After-party"]
        );
        assert!(split_parts("  ").is_empty());
        assert_eq!(duplicate_part(&split_parts("一次会、二次会")), None);
        assert_eq!(
            duplicate_part(&split_parts("一次会, 二次会, 一次会")),
            Some("一次会")
        );
    }
}
