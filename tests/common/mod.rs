//! Helpers the integration tests share (`mod common;` in a test file).

use alumni::domain::Person;
use alumni::store::Store;

/// One field of every stored person, in the order of `Store::people`:
/// `fields(&store, |p| p.name.to_string())`.
pub fn fields<T>(store: &Store, field: impl Fn(&Person) -> T) -> Vec<T> {
    store.people().unwrap().iter().map(field).collect()
}
