//! The event balance report: generations present, guests who know nobody
//! (with bridges to them), the largest clique, and the closeness mix.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::{Generation, Settings, StintIndex, overlap, spans};
use crate::domain::{Closeness, Consent, Event, InvitationStatus, Person};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GenerationRow {
    pub band: String,
    pub alumni: usize,
    /// Every invitation, whatever its reply.
    pub invited: usize,
    pub accepted: usize,
    pub attended: usize,
    /// Alumni in this generation, but nobody coming (accepted or attended).
    pub nobody_coming: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Isolated {
    pub person: String,
    /// Up to three alumni who overlapped with this guest and with someone
    /// coming: consent yes, not invited yet, closest first.
    pub bridges: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartCount {
    pub part: String,
    pub attended: usize,
}

/// One attending guest, for the picture of tenures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Guest {
    pub person: String,
    pub band: String,
    /// How many others coming this guest overlapped with.
    pub knows: usize,
}

/// The invitations of people forgotten on request: counts, in no
/// generation (nothing of them is left to place them in one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Erased {
    pub invited: usize,
    pub accepted: usize,
    pub attended: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub event: String,
    pub event_name: String,
    /// Accepted or attended, the forgotten included: the head count.
    pub coming: usize,
    pub generations: Vec<GenerationRow>,
    pub erased: Erased,
    /// Accepted or attended (the forgotten are only counted, in `erased`).
    pub attending: Vec<Guest>,
    pub isolated: Vec<Isolated>,
    pub largest_clique: Vec<String>,
    /// The largest clique is more than half of those coming.
    pub clique_warning: bool,
    /// Invitees by closeness.
    pub closeness: BTreeMap<&'static str, usize>,
    pub parts: Vec<PartCount>,
}

pub fn is_coming(s: InvitationStatus) -> bool {
    matches!(s, InvitationStatus::Accepted | InvitationStatus::Attended)
}

/// Closeness order for "closest first".
pub fn closeness_rank(c: Closeness) -> u8 {
    match c {
        Closeness::Close => 0,
        Closeness::InTouch => 1,
        Closeness::Distant => 2,
        Closeness::Lost => 3,
    }
}

/// Builds the report. `index` must be built from `people` (pass the same
/// one to several calls: building it sorts every stint).
pub fn build(
    people: &[Person],
    index: &StintIndex,
    event: &Event,
    settings: &Settings,
    today: NaiveDate,
) -> Report {
    let at: HashMap<&str, usize> = people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let w = settings.band_years;
    let invited: HashMap<usize, InvitationStatus> = event
        .invitations
        .iter()
        .filter_map(|inv| at.get(inv.person.as_str()).map(|&i| (i, inv.status)))
        .collect();

    // Generations.
    let mut rows: BTreeMap<Generation, GenerationRow> = BTreeMap::new();
    for (i, p) in people.iter().enumerate() {
        let g = Generation::of(p, w);
        let row = rows.entry(g).or_insert_with(|| GenerationRow {
            band: g.label(w),
            alumni: 0,
            invited: 0,
            accepted: 0,
            attended: 0,
            nobody_coming: false,
        });
        row.alumni += 1;
        if let Some(st) = invited.get(&i) {
            row.invited += 1;
            row.accepted += usize::from(*st == InvitationStatus::Accepted);
            row.attended += usize::from(*st == InvitationStatus::Attended);
        }
    }
    // A generation that first joined after a past event's year did not
    // exist yet: not listed (nor flagged) unless someone of it was invited.
    if let Some(date) = event.date {
        use chrono::Datelike;
        rows.retain(|g, row| {
            !matches!(g, Generation::Band(start) if *start > date.year()) || row.invited > 0
        });
    }
    for row in rows.values_mut() {
        row.nobody_coming = row.accepted + row.attended == 0;
    }

    // Who is coming, and whom each of them knows.
    let mut coming: Vec<usize> = invited
        .iter()
        .filter(|(_, st)| is_coming(**st))
        .map(|(&i, _)| i)
        .collect();
    coming.sort_unstable();
    let coming_spans: Vec<_> = coming.iter().map(|&i| spans(&people[i], today)).collect();
    let n = coming.len();
    let mut knows = vec![0usize; n];
    let mut worked_with: Vec<Vec<bool>> = vec![vec![false; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let o = overlap(
                &coming_spans[a],
                &coming_spans[b],
                settings.min_overlap_days,
            );
            if o.overlapped() {
                knows[a] += 1;
                knows[b] += 1;
            }
            if o.same_department {
                worked_with[a][b] = true;
                worked_with[b][a] = true;
            }
        }
    }
    let attending: Vec<Guest> = coming
        .iter()
        .enumerate()
        .map(|(k, &i)| Guest {
            person: people[i].id.to_string(),
            band: Generation::of(&people[i], w).label(w),
            knows: knows[k],
        })
        .collect();

    // The isolated, and who could bridge them.
    let coming_set: HashSet<usize> = coming.iter().copied().collect();
    let isolated = (0..n)
        .filter(|&k| knows[k] == 0)
        .map(|k| Isolated {
            person: people[coming[k]].id.to_string(),
            bridges: bridges(
                people,
                index,
                coming[k],
                &coming,
                &coming_set,
                &invited,
                settings,
                today,
            )
            .into_iter()
            .take(3)
            .map(|i| people[i].id.to_string())
            .collect(),
        })
        .collect();

    let clique: Vec<String> = largest_clique(&worked_with)
        .into_iter()
        .map(|k| people[coming[k]].id.to_string())
        .collect();
    let count = |st: InvitationStatus| event.anonymous.get(&st).map_or(0, |&c| c as usize);
    let erased = Erased {
        invited: event.anonymous.values().map(|&c| c as usize).sum(),
        accepted: count(InvitationStatus::Accepted),
        attended: count(InvitationStatus::Attended),
    };
    let coming = n + erased.accepted + erased.attended;
    let clique_warning = coming > 0 && clique.len() * 2 > coming;

    let mut closeness: BTreeMap<&'static str, usize> =
        Closeness::ALL.iter().map(|c| (c.as_str(), 0)).collect();
    for &i in invited.keys() {
        *closeness.entry(people[i].closeness.as_str()).or_default() += 1;
    }

    let parts = event
        .parts
        .iter()
        .map(|part| PartCount {
            part: part.clone(),
            attended: event
                .invitations
                .iter()
                .filter(|inv| inv.attended_parts.contains(part))
                .count()
                + event.anonymous_parts.get(part).map_or(0, |&c| c as usize),
        })
        .collect();

    Report {
        event: event.id.clone(),
        event_name: event.name.clone(),
        coming,
        generations: rows.into_values().collect(),
        erased,
        attending,
        isolated,
        largest_clique: clique,
        clique_warning,
        closeness,
        parts,
    }
}

/// People who overlapped with `who` and with someone else coming: consent
/// yes, not invited; closest first, then most days shared with `who`.
#[allow(clippy::too_many_arguments)]
pub fn bridges(
    people: &[Person],
    index: &StintIndex,
    who: usize,
    coming: &[usize],
    coming_set: &HashSet<usize>,
    invited: &HashMap<usize, InvitationStatus>,
    settings: &Settings,
    today: NaiveDate,
) -> Vec<usize> {
    let min = settings.min_overlap_days;
    let others: Vec<_> = coming
        .iter()
        .filter(|&&c| c != who)
        .map(|&c| spans(&people[c], today))
        .collect();
    let mut found: Vec<(u8, i64, usize)> = index
        .overlaps_of(people, who, today, min)
        .into_iter()
        .filter(|(j, _)| {
            let p = &people[*j];
            p.consent == Consent::Yes && !invited.contains_key(j) && !coming_set.contains(j)
        })
        .filter(|(j, _)| {
            let mine = spans(&people[*j], today);
            others.iter().any(|o| overlap(&mine, o, min).overlapped())
        })
        .map(|(j, days)| (closeness_rank(people[j].closeness), -days, j))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, _, j)| j).collect()
}

/// The largest set of nodes that are all adjacent (Bron–Kerbosch with a
/// pivot). Bounded: on pathological graphs it returns the best found after
/// a fixed amount of work.
pub fn largest_clique(adj: &[Vec<bool>]) -> Vec<usize> {
    fn expand(
        adj: &[Vec<bool>],
        r: &mut Vec<usize>,
        p: Vec<usize>,
        x: Vec<usize>,
        best: &mut Vec<usize>,
        budget: &mut u32,
    ) {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        if p.is_empty() && x.is_empty() {
            if r.len() > best.len() {
                *best = r.clone();
            }
            return;
        }
        if r.len() + p.len() <= best.len() {
            return;
        }
        let pivot = p
            .iter()
            .chain(&x)
            .copied()
            .max_by_key(|&u| p.iter().filter(|&&v| adj[u][v]).count())
            .unwrap_or(0);
        let candidates: Vec<usize> = p.iter().copied().filter(|&v| !adj[pivot][v]).collect();
        let (mut p, mut x) = (p, x);
        for v in candidates {
            let np = p.iter().copied().filter(|&u| adj[v][u]).collect();
            let nx = x.iter().copied().filter(|&u| adj[v][u]).collect();
            r.push(v);
            expand(adj, r, np, nx, best, budget);
            r.pop();
            p.retain(|&u| u != v);
            x.push(v);
        }
    }
    let n = adj.len();
    let mut best = Vec::new();
    let mut budget = 200_000;
    expand(
        adj,
        &mut Vec::new(),
        (0..n).collect(),
        Vec::new(),
        &mut best,
        &mut budget,
    );
    // A lone guest is not a clique.
    if best.len() < 2 {
        best.clear();
    }
    best.sort_unstable();
    best
}
