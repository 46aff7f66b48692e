//! Person id -> position in the roster, as positions sorted by id: 4 bytes
//! a person instead of a hash map's 40 (a large roster stays in memory
//! while the address book is open).

use crate::domain::Person;

#[derive(Debug, Default)]
pub struct IdIndex {
    /// Positions into the roster, sorted by the people's ids.
    by_id: Vec<u32>,
}

impl IdIndex {
    pub fn build(people: &[Person]) -> IdIndex {
        let mut by_id: Vec<u32> = (0..people.len() as u32).collect();
        by_id.sort_unstable_by(|&a, &b| people[a as usize].id.cmp(&people[b as usize].id));
        IdIndex { by_id }
    }

    /// From positions said to be in id order (the store's index on ids),
    /// if they are: every position once, ids strictly rising. `None` when
    /// they do not fit `people` (read at another moment).
    pub fn from_sorted(by_id: Vec<u32>, people: &[Person]) -> Option<IdIndex> {
        let fits = by_id.len() == people.len()
            && by_id.iter().all(|&i| (i as usize) < people.len())
            && by_id
                .windows(2)
                .all(|w| people[w[0] as usize].id < people[w[1] as usize].id);
        fits.then_some(IdIndex { by_id })
    }

    /// Where the person with `id` is in `people` (the roster it was built from).
    pub fn get(&self, people: &[Person], id: &str) -> Option<usize> {
        let k = self
            .by_id
            .binary_search_by(|&i| people[i as usize].id.as_str().cmp(id))
            .ok()?;
        Some(self.by_id[k] as usize)
    }

    /// Forgets the person at `slot`, taken out of the roster: those after
    /// them move up one.
    pub fn remove(&mut self, slot: usize) {
        let slot = slot as u32;
        self.by_id.retain(|&i| i != slot);
        for i in &mut self.by_id {
            if *i > slot {
                *i -= 1;
            }
        }
    }

    /// Adds the person at `slot` (who just got their id).
    pub fn insert(&mut self, people: &[Person], slot: usize) {
        let id = people[slot].id.as_str();
        let k = self
            .by_id
            .partition_point(|&i| people[i as usize].id.as_str() < id);
        self.by_id.insert(k, slot as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_and_no_other() {
        let mut people: Vec<Person> = ["p-3", "p-10", "a", "p-2"]
            .iter()
            .map(|&id| Person {
                id: id.into(),
                name: id.into(),
                ..Default::default()
            })
            .collect();
        let mut ids = IdIndex::build(&people);
        for (i, p) in people.iter().enumerate() {
            assert_eq!(ids.get(&people, &p.id), Some(i));
        }
        assert_eq!(ids.get(&people, "p-1"), None);
        assert_eq!(ids.get(&people, ""), None);
        people.push(Person {
            id: "p-1".into(),
            name: "new".into(),
            ..Default::default()
        });
        ids.insert(&people, 4);
        for (i, p) in people.iter().enumerate() {
            assert_eq!(ids.get(&people, &p.id), Some(i));
        }
        // The same order, given: taken; anything else: refused.
        let built = IdIndex::build(&people).by_id;
        let given = IdIndex::from_sorted(built.clone(), &people).expect("in id order");
        assert_eq!(given.by_id, built);
        let mut swapped = built.clone();
        swapped.swap(1, 2);
        assert!(IdIndex::from_sorted(swapped, &people).is_none());
        assert!(IdIndex::from_sorted(built[1..].to_vec(), &people).is_none());
        let mut twice = built.clone();
        twice[1] = twice[0];
        assert!(IdIndex::from_sorted(twice, &people).is_none());
        let mut outside = built;
        *outside.last_mut().unwrap() = 99;
        assert!(IdIndex::from_sorted(outside, &people).is_none());
    }
}
