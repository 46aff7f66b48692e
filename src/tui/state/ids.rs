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

    /// Where the person with `id` is in `people` (the roster it was built from).
    pub fn get(&self, people: &[Person], id: &str) -> Option<usize> {
        let k = self
            .by_id
            .binary_search_by(|&i| people[i as usize].id.as_str().cmp(id))
            .ok()?;
        Some(self.by_id[k] as usize)
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
    }
}
