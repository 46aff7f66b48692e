//! The search line's language: fuzzy words plus field filters
//! (`tag:ambassador dept:web joined:2001-2005 ken`).

use crate::domain::{Closeness, Consent, Person};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// A tag that starts with this (case-insensitive).
    Tag(String),
    /// A department of some stint that contains this (case-insensitive).
    Dept(String),
    /// First joined year within the range, inclusive.
    Joined(i32, i32),
    Consent(Consent),
    Closeness(Closeness),
    /// The current company contains this (case-insensitive).
    Company(String),
    /// Due a call: not contacted for longer than their closeness allows.
    /// Needs today's date and the settings, so the caller applies it.
    Due,
}

/// The filter keys, for the help screen.
pub const FILTER_KEYS: &[&str] = &[
    "tag:",
    "dept:",
    "joined:2001-2005",
    "consent:yes",
    "closeness:distant",
    "company:",
    "due:",
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The fuzzy part, words joined by spaces.
    pub text: String,
    pub filters: Vec<Filter>,
    /// Filters that could not be understood, in words.
    pub errors: Vec<String>,
}

fn year_range(v: &str) -> Option<(i32, i32)> {
    let year = |s: &str| -> Option<i32> {
        let s = s.trim();
        (s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    match v.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (year(a)?, year(b)?);
            Some((a.min(b), a.max(b)))
        }
        None => year(v).map(|y| (y, y)),
    }
}

impl Query {
    pub fn parse(input: &str) -> Query {
        let mut q = Query::default();
        let mut words = Vec::new();
        for token in input.split_whitespace() {
            let Some((key, value)) = token.split_once(':') else {
                words.push(token);
                continue;
            };
            let lower = value.to_lowercase();
            let filter = match key.to_lowercase().as_str() {
                "tag" | "tags" => Some(Ok(Filter::Tag(lower))),
                "dept" | "department" => Some(Ok(Filter::Dept(lower))),
                "company" => Some(Ok(Filter::Company(lower))),
                "due" => Some(Ok(Filter::Due)),
                "joined" => Some(
                    year_range(value)
                        .map(|(a, b)| Filter::Joined(a, b))
                        .ok_or_else(|| {
                            format!("joined:{value} — use a year or a range: joined:2001-2005")
                        }),
                ),
                "consent" => Some(
                    Consent::parse(value)
                        .filter(|_| !value.is_empty())
                        .map(Filter::Consent)
                        .ok_or_else(|| format!("consent:{value} — use yes, no or unknown")),
                ),
                "closeness" => Some(Closeness::parse(value).map(Filter::Closeness).ok_or_else(
                    || format!("closeness:{value} — use close, in_touch, distant or lost"),
                )),
                _ => None,
            };
            match filter {
                Some(Ok(f))
                    if !value.is_empty() || matches!(f, Filter::Joined(..) | Filter::Due) =>
                {
                    q.filters.push(f)
                }
                Some(Ok(_)) => {} // `tag:` while still typing the value
                Some(Err(e)) => q.errors.push(e),
                None => words.push(token),
            }
        }
        q.text = words.join(" ");
        q
    }

    pub fn wants_due(&self) -> bool {
        self.filters.contains(&Filter::Due)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty() && self.filters.is_empty()
    }

    /// Whether a person passes every filter (the fuzzy words are ranked apart).
    pub fn matches(&self, p: &Person) -> bool {
        self.filters.iter().all(|f| match f {
            Filter::Tag(t) => p.tags.iter().any(|x| x.to_lowercase().starts_with(t)),
            Filter::Dept(d) => p
                .stints
                .iter()
                .any(|s| s.department.to_lowercase().contains(d)),
            Filter::Company(c) => p.company.to_lowercase().contains(c),
            Filter::Joined(a, b) => {
                use chrono::Datelike;
                p.first_joined()
                    .is_some_and(|j| (*a..=*b).contains(&j.year()))
            }
            Filter::Consent(c) => p.consent == *c,
            Filter::Closeness(c) => p.closeness == *c,
            Filter::Due => true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_and_words() {
        let q = Query::parse("tag:Ambassador ken dept:web joined:2005-2001 tanaka");
        assert_eq!(q.text, "ken tanaka");
        assert_eq!(
            q.filters,
            vec![
                Filter::Tag("ambassador".into()),
                Filter::Dept("web".into()),
                Filter::Joined(2001, 2005)
            ]
        );
        let q = Query::parse("consent:perhaps joined:20 https://x.example");
        assert_eq!(q.errors.len(), 2);
        assert_eq!(q.text, "https://x.example");
        assert!(Query::parse("tag:").filters.is_empty());
    }
}
