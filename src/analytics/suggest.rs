//! Whom to invite next, and why: generations nobody from which is invited,
//! bridges for guests who would know nobody, then the distant and the lost.
//! Consent `no` is never suggested; consent `unknown` is, marked as such.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::report::{self, closeness_rank, is_coming};
use super::{Generation, Settings, StintIndex};
use crate::domain::{Closeness, Consent, Event, InvitationStatus, Person};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Why {
    /// Nobody from this generation is invited yet.
    Generation { band: String },
    /// Overlapped with this guest, who would otherwise know nobody.
    Bridge {
        guest: String,
        /// The guest's name, as the reason says it (not in JSON, whose
        /// `why` stays as it was: the name is in `reason`).
        #[serde(skip)]
        guest_name: String,
    },
    /// Distant or lost: a reunion is how they come back.
    Reconnect {
        closeness: Closeness,
        /// The last contact the reason mentions (`None`: never); not in
        /// JSON, as `guest_name`.
        #[serde(skip)]
        last_contacted: Option<NaiveDate>,
    },
}

impl Why {
    /// The reason in English words, as `alumni suggest` prints it and JSON
    /// carries it (the TUI says it through its catalogues, in its language).
    pub fn english(&self) -> String {
        match self {
            Why::Generation { band } => format!("nobody from {band} is invited yet"),
            Why::Bridge { guest_name, .. } => {
                format!("worked at the same time as {guest_name}, who knows nobody else coming")
            }
            Why::Reconnect {
                closeness,
                last_contacted,
            } => {
                let since = match last_contacted {
                    Some(d) => format!("last contact {d}"),
                    None => "never contacted".to_string(),
                };
                format!(
                    "{} ({since}): a reunion is how people come back",
                    closeness.as_str().replace('_', " ")
                )
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    pub person: String,
    pub why: Why,
    /// The reason in English words (`why.english()`).
    pub reason: String,
    /// Consent not recorded: allowed, but check first.
    pub consent_unknown: bool,
}

/// Up to `count` suggestions, most useful first.
pub fn suggest(
    people: &[Person],
    index: &StintIndex,
    event: &Event,
    settings: &Settings,
    today: NaiveDate,
    count: usize,
) -> Vec<Suggestion> {
    let at: HashMap<&str, usize> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let invited: HashMap<usize, InvitationStatus> = event
        .invitations
        .iter()
        .filter_map(|v| at.get(v.person.as_str()).map(|&i| (i, v.status)))
        .collect();
    let allowed = |i: usize| people[i].consent != Consent::No && !invited.contains_key(&i);
    let w = settings.band_years;
    let mut taken: HashSet<usize> = HashSet::new();
    let mut out = Vec::new();
    let mut push = |out: &mut Vec<Suggestion>, i: usize, why: Why| {
        if taken.insert(i) {
            out.push(Suggestion {
                person: people[i].id.to_string(),
                reason: why.english(),
                why,
                consent_unknown: people[i].consent == Consent::Unknown,
            });
        }
    };

    // 1. Generations with alumni but nobody invited: the closest person of each.
    let invited_bands: BTreeSet<Generation> = invited
        .keys()
        .map(|&i| Generation::of(&people[i], w))
        .collect();
    let mut best: HashMap<Generation, usize> = HashMap::new();
    for i in (0..people.len()).filter(|&i| allowed(i)) {
        let g = Generation::of(&people[i], w);
        if g == Generation::Unknown || invited_bands.contains(&g) {
            continue;
        }
        let better = |j: usize| rank_key(&people[i]) < rank_key(&people[j]);
        if best.get(&g).is_none_or(|&j| better(j)) {
            best.insert(g, i);
        }
    }
    let mut gens: Vec<(Generation, usize)> = best.into_iter().collect();
    gens.sort();
    for (g, i) in gens {
        push(&mut out, i, Why::Generation { band: g.label(w) });
    }

    // 2. Bridges for the guests who would know nobody.
    let coming: Vec<usize> = {
        let mut c: Vec<usize> = invited
            .iter()
            .filter(|(_, s)| is_coming(**s))
            .map(|(&i, _)| i)
            .collect();
        c.sort_unstable();
        c
    };
    let coming_set: HashSet<usize> = coming.iter().copied().collect();
    let rep = report::build(people, index, event, settings, today);
    for iso in &rep.isolated {
        let Some(&g) = at.get(iso.person.as_str()) else {
            continue;
        };
        for b in report::bridges(
            people,
            index,
            g,
            &coming,
            &coming_set,
            &invited,
            settings,
            today,
        )
        .into_iter()
        .take(2)
        {
            let why = Why::Bridge {
                guest: iso.person.clone(),
                guest_name: people[g].name.to_string(),
            };
            push(&mut out, b, why);
        }
    }

    // 3. The distant and the lost, longest out of touch first.
    let mut far: Vec<usize> = (0..people.len())
        .filter(|&i| {
            allowed(i) && matches!(people[i].closeness, Closeness::Distant | Closeness::Lost)
        })
        .collect();
    far.sort_by_key(|&i| (people[i].last_contacted, i));
    for i in far {
        let why = Why::Reconnect {
            closeness: people[i].closeness,
            last_contacted: people[i].last_contacted,
        };
        push(&mut out, i, why);
        if out.len() >= count {
            break;
        }
    }
    out.truncate(count);
    out
}

/// Closest first, consent yes before unknown, then most recently contacted.
fn rank_key(p: &Person) -> (u8, bool, std::cmp::Reverse<Option<NaiveDate>>) {
    (
        closeness_rank(p.closeness),
        p.consent != Consent::Yes,
        std::cmp::Reverse(p.last_contacted),
    )
}
