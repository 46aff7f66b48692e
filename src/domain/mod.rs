//! The domain: plain data with serde. No IO here; analytics build on these types.

pub mod compact;
pub mod date;
pub mod erased;
pub mod event;
pub mod person;
pub mod shared;

pub use compact::{Few, One, RareText};
pub use erased::{ErasedSet, Hex};
pub use event::{Cohort, Event, Invitation, InvitationStatus};
pub use person::{Closeness, Consent, ConsentChange, Person, Stint, Text};
pub use shared::Shared;

use serde::{Deserialize, Serialize};

/// The tag of the JSON interchange format this version reads and writes.
pub const FORMAT: &str = "alumni/1";

/// A whole roster: what `export --format json` writes and `import` reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Roster {
    pub format: String,
    #[serde(default)]
    pub people: Vec<Person>,
    #[serde(default)]
    pub cohorts: Vec<Cohort>,
    #[serde(default)]
    pub events: Vec<Event>,
    /// The people erased on request (`alumni forget`), as hashes only, so
    /// that a store rebuilt from this file still leaves them out of the
    /// next import. Absent when nobody was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erased: Vec<ErasedSet>,
}

/// Whether `id` is acceptable as a stable identifier: non-empty, short, no
/// whitespace or control characters (ids appear on command lines and in file names).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= 64
        && !id.chars().any(|c| c.is_whitespace() || c.is_control())
}
