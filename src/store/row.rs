//! A person's row as the store keeps it, read back into a `Person`:
//! texts without copies, lists from their JSON arrays, dates leniently.

use chrono::NaiveDate;
use rusqlite::Row;

use crate::domain::{Closeness, Consent, Few, One, Person, Stint, Text};

/// The people columns `person_from_row` reads, in its order.
pub(super) const PERSON_COLUMNS: &str = "id, name, reading, nickname, company, title, location, \
     notes, consent, consent_date, closeness, last_contacted, consent_purpose, \
     emails, phones, links, tags, extra, stints";

pub(super) fn date_col(row: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = row.get(i)?;
    Ok(s.and_then(|s| crate::domain::date::parse_iso(&s)))
}

/// A text column as a person's `Text`, without a `String` on the way.
pub(super) fn text_col(row: &Row, i: usize) -> rusqlite::Result<Text> {
    Ok(Text::from(
        row.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?,
    ))
}

/// A text many people share (`Shared`).
fn shared_col(row: &Row, i: usize) -> rusqlite::Result<crate::domain::Shared> {
    Ok(row
        .get_ref(i)?
        .as_str()
        .map_err(rusqlite::Error::from)?
        .into())
}

/// A list column (a JSON array, NULL when empty) as a person's list.
fn list_col<L>(row: &Row, i: usize) -> rusqlite::Result<L>
where
    L: serde::de::DeserializeOwned + Default,
{
    let value = row.get_ref(i)?;
    if value == rusqlite::types::ValueRef::Null {
        return Ok(L::default());
    }
    serde_json::from_slice(value.as_bytes()?).map_err(|cause| {
        let id = row
            .get_ref(0)
            .ok()
            .and_then(|v| v.as_str().ok())
            .unwrap_or("?");
        let column = row.as_ref().column_name(i).unwrap_or("?");
        rusqlite::Error::FromSqlConversionFailure(
            i,
            value.data_type(),
            format!("person {id}: {column} is not a list as alumni writes it: {cause}").into(),
        )
    })
}

/// A stint as the `stints` column holds it, read as leniently as the
/// table it came from was: a date that is not one (edited by hand in the
/// sqlite3 shell) is no date, rather than a store that cannot be opened.
#[derive(serde::Deserialize)]
struct StoredStint {
    #[serde(default)]
    joined: LenientDate,
    #[serde(default)]
    left: LenientDate,
    #[serde(default)]
    department: crate::domain::Shared,
    #[serde(default)]
    role: crate::domain::Shared,
}

/// A stint's date as stored: a string that is a date is one; any other
/// value (another string, a number, null, a list) is no date. Read where
/// it lies, without making a JSON value of it first (at a million people
/// those were two allocations a stint).
#[derive(Default)]
struct LenientDate(Option<NaiveDate>);

impl<'de> serde::Deserialize<'de> for LenientDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<LenientDate, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct Lenient;
        impl<'de> Visitor<'de> for Lenient {
            type Value = LenientDate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date")
            }
            fn visit_str<E>(self, s: &str) -> Result<LenientDate, E> {
                Ok(LenientDate(crate::domain::date::parse_iso(s)))
            }
            fn visit_unit<E>(self) -> Result<LenientDate, E> {
                Ok(LenientDate(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<LenientDate, E> {
                Ok(LenientDate(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<LenientDate, E> {
                Ok(LenientDate(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<LenientDate, E> {
                Ok(LenientDate(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<LenientDate, E> {
                Ok(LenientDate(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<LenientDate, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LenientDate(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LenientDate, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(LenientDate(None))
            }
        }
        d.deserialize_any(Lenient)
    }
}

fn stints_col(row: &Row, i: usize) -> rusqlite::Result<One<Stint>> {
    let stored: Vec<StoredStint> = list_col(row, i)?;
    Ok(stored
        .into_iter()
        .map(|s| Stint {
            joined: s.joined.0,
            left: s.left.0,
            department: s.department,
            role: s.role,
        })
        .collect())
}

/// A rarely filled list column, with room for exactly its items: a
/// person's lists stay in memory while the address book is open.
fn few_col(row: &Row, i: usize) -> rusqlite::Result<Few<Text>> {
    let items: Vec<Text> = list_col(row, i)?;
    let mut few = Few::with_capacity(items.len());
    few.extend(items);
    Ok(few)
}

pub(super) fn person_from_row(row: &Row) -> rusqlite::Result<Person> {
    let consent: String = row.get(8)?;
    let closeness: String = row.get(10)?;
    Ok(Person {
        id: text_col(row, 0)?,
        name: text_col(row, 1)?,
        reading: text_col(row, 2)?,
        nickname: text_col(row, 3)?,
        company: shared_col(row, 4)?,
        title: text_col(row, 5)?.into(),
        location: shared_col(row, 6)?,
        notes: text_col(row, 7)?.into(),
        consent: Consent::parse(&consent).unwrap_or_default(),
        consent_date: date_col(row, 9)?,
        closeness: Closeness::parse(&closeness).unwrap_or_default(),
        last_contacted: date_col(row, 11)?,
        consent_purpose: text_col(row, 12)?.into(),
        emails: list_col(row, 13)?,
        phones: list_col(row, 14)?,
        links: few_col(row, 15)?,
        tags: few_col(row, 16)?,
        extra: few_col(row, 17)?,
        stints: stints_col(row, 18)?,
    })
}
