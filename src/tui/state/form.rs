//! Forms for people, cohorts and events: fields as text, checked as you type.

use crate::domain::date::parse_date;
use crate::domain::person::email_problem;
use crate::domain::{Closeness, Cohort, Consent, Event, Person, Stint, Text};
use crate::tui::i18n::{Lang, tf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Name,
    Reading,
    Nickname,
    Emails,
    Phones,
    Links,
    Company,
    Title,
    Location,
    Tags,
    Consent,
    ConsentDate,
    ConsentPurpose,
    Closeness,
    LastContacted,
    Notes,
    Joined(usize),
    Left(usize),
    Department(usize),
    Role(usize),
    CohortName,
    EventName,
    EventDate,
    EventVenue,
    EventNotes,
    EventParts,
}

impl FieldKey {
    /// The catalogue key of the field's label.
    pub fn label(self) -> &'static str {
        match self {
            FieldKey::Name | FieldKey::CohortName | FieldKey::EventName => "field.name",
            FieldKey::Reading => "field.reading",
            FieldKey::Nickname => "field.nickname",
            FieldKey::Emails => "field.emails",
            FieldKey::Phones => "field.phones",
            FieldKey::Links => "field.links",
            FieldKey::Company => "field.company",
            FieldKey::Title => "field.title",
            FieldKey::Location => "field.location",
            FieldKey::Tags => "field.tags",
            FieldKey::Consent => "field.consent",
            FieldKey::ConsentDate => "field.consent_date",
            FieldKey::ConsentPurpose => "field.consent_purpose",
            FieldKey::Closeness => "field.closeness",
            FieldKey::LastContacted => "field.last_contacted",
            FieldKey::Notes | FieldKey::EventNotes => "field.notes",
            FieldKey::Joined(_) => "field.joined",
            FieldKey::Left(_) => "field.left",
            FieldKey::Department(_) => "field.department",
            FieldKey::Role(_) => "field.role",
            FieldKey::EventDate => "field.date",
            FieldKey::EventVenue => "field.venue",
            FieldKey::EventParts => "field.parts",
        }
    }

    pub fn stint(self) -> Option<usize> {
        match self {
            FieldKey::Joined(n)
            | FieldKey::Left(n)
            | FieldKey::Department(n)
            | FieldKey::Role(n) => Some(n),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub key: FieldKey,
    pub value: String,
    /// What is wrong with the value, in words; `None` when it is fine.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// `slot`: the record being edited, `None` for a new one.
    Person(Option<usize>),
    Cohort(Option<usize>),
    Event(Option<usize>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// The language of the messages it gives.
    pub lang: Lang,
}

pub(super) fn field(key: FieldKey, value: impl Into<String>) -> Field {
    Field {
        key,
        value: value.into(),
        error: None,
    }
}

pub(super) fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub(super) fn stint_fields(n: usize, s: &Stint) -> [Field; 4] {
    [
        field(FieldKey::Joined(n), date(s.joined)),
        field(FieldKey::Left(n), date(s.left)),
        field(FieldKey::Department(n), s.department.clone()),
        field(FieldKey::Role(n), s.role.clone()),
    ]
}

impl Form {
    pub fn person(slot: Option<usize>, p: &Person) -> Form {
        let mut fields = vec![
            field(FieldKey::Name, p.name.clone()),
            field(FieldKey::Reading, p.reading.clone()),
            field(FieldKey::Nickname, p.nickname.clone()),
            field(FieldKey::Emails, p.emails.join("; ")),
            field(FieldKey::Phones, p.phones.join("; ")),
            field(FieldKey::Links, p.links.join("; ")),
            field(FieldKey::Company, p.company.clone()),
            field(FieldKey::Title, p.title.as_str()),
            field(FieldKey::Location, p.location.clone()),
            field(FieldKey::Tags, p.tags.join("; ")),
            field(FieldKey::Consent, p.consent.as_str()),
            field(FieldKey::ConsentDate, date(p.consent_date)),
            field(FieldKey::ConsentPurpose, p.consent_purpose.as_str()),
            field(FieldKey::Closeness, p.closeness.as_str()),
            field(FieldKey::LastContacted, date(p.last_contacted)),
            field(FieldKey::Notes, p.notes.as_str()),
        ];
        let stints = if p.stints.is_empty() {
            &[Stint::default()][..]
        } else {
            &p.stints[..]
        };
        for (n, s) in stints.iter().enumerate() {
            fields.extend(stint_fields(n, s));
        }
        let mut f = Form {
            kind: FormKind::Person(slot),
            fields,
            focus: 0,
            lang: Lang::default(),
        };
        f.validate_all();
        f
    }

    pub fn cohort(slot: Option<usize>, c: &Cohort) -> Form {
        Form {
            kind: FormKind::Cohort(slot),
            fields: vec![field(FieldKey::CohortName, c.name.clone())],
            focus: 0,
            lang: Lang::default(),
        }
    }

    pub fn event(slot: Option<usize>, e: &Event) -> Form {
        Form {
            kind: FormKind::Event(slot),
            fields: vec![
                field(FieldKey::EventName, e.name.clone()),
                field(FieldKey::EventDate, date(e.date)),
                field(FieldKey::EventVenue, e.venue.clone()),
                field(FieldKey::EventNotes, e.notes.clone()),
                field(FieldKey::EventParts, e.parts.join(", ")),
            ],
            focus: 0,
            lang: Lang::default(),
        }
    }

    pub(super) fn value(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    pub(super) fn stint_count(&self) -> usize {
        self.fields
            .iter()
            .filter_map(|f| f.key.stint())
            .max()
            .map_or(0, |n| n + 1)
    }

    /// Checks one field (and, for stint dates, its partner).
    pub(super) fn validate(&mut self, i: usize) {
        let key = self.fields[i].key;
        let v = self.fields[i].value.trim().to_string();
        let date_err = |v: &str| (!v.is_empty()).then(|| parse_date(v).err()).flatten();
        let error = match key {
            FieldKey::Name | FieldKey::CohortName | FieldKey::EventName => {
                v.is_empty().then(|| "required".to_string())
            }
            FieldKey::Emails => v
                .split(';')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .find_map(email_problem),
            FieldKey::Consent => Consent::parse(&v)
                .is_none()
                .then(|| format!("{v:?}: yes, no or unknown")),
            FieldKey::Closeness => Closeness::parse(&v)
                .is_none()
                .then(|| format!("{v:?}: close, in_touch, distant or lost")),
            FieldKey::ConsentDate
            | FieldKey::LastContacted
            | FieldKey::EventDate
            | FieldKey::Joined(_) => date_err(&v),
            FieldKey::EventParts => {
                let parts = crate::domain::event::split_parts(&v);
                crate::domain::event::duplicate_part(&parts)
                    .map(|p| tf(self.lang, "form.parts_twice", &[("part", p)]))
            }
            FieldKey::Left(n) => date_err(&v).or_else(|| {
                let joined = parse_date(self.value(FieldKey::Joined(n))).ok()?;
                let left = parse_date(&v).ok()?;
                (left < joined).then(|| format!("{left} is before the joined date {joined}"))
            }),
            _ => None,
        };
        self.fields[i].error = error;
        // A changed joined date may fix or break its left date.
        if let FieldKey::Joined(n) = key
            && let Some(j) = self.fields.iter().position(|f| f.key == FieldKey::Left(n))
        {
            self.validate(j);
        }
    }

    pub(super) fn validate_all(&mut self) {
        for i in 0..self.fields.len() {
            self.validate(i);
        }
    }

    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }

    pub(super) fn list<L>(&self, key: FieldKey) -> L
    where
        L: Default + std::ops::Deref<Target = [Text]> + Extend<Text>,
    {
        let mut out = L::default();
        for v in self
            .value(key)
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            if !out.iter().any(|o| o == v) {
                out.extend([v.into()]);
            }
        }
        out
    }

    /// The event's parts, in order (call only when valid).
    pub(super) fn parts(&self) -> Vec<String> {
        crate::domain::event::split_parts(self.value(FieldKey::EventParts))
    }

    pub(super) fn opt_date(&self, key: FieldKey) -> Option<chrono::NaiveDate> {
        parse_date(self.value(key)).ok()
    }

    /// The person the form describes (call only when valid).
    pub(super) fn to_person(&self, base: &Person) -> Person {
        let stints = (0..self.stint_count())
            .map(|n| Stint {
                joined: self.opt_date(FieldKey::Joined(n)),
                left: self.opt_date(FieldKey::Left(n)),
                department: self.value(FieldKey::Department(n)).to_string().into(),
                role: self.value(FieldKey::Role(n)).to_string().into(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        Person {
            id: base.id.clone(),
            name: self.value(FieldKey::Name).to_string().into(),
            reading: self.value(FieldKey::Reading).to_string().into(),
            nickname: self.value(FieldKey::Nickname).to_string().into(),
            emails: self.list(FieldKey::Emails),
            phones: self.list(FieldKey::Phones),
            links: self.list(FieldKey::Links),
            company: self.value(FieldKey::Company).to_string().into(),
            title: self.value(FieldKey::Title).to_string().into(),
            location: self.value(FieldKey::Location).to_string().into(),
            tags: self.list(FieldKey::Tags),
            notes: self.value(FieldKey::Notes).to_string().into(),
            consent: Consent::parse(self.value(FieldKey::Consent)).unwrap_or_default(),
            consent_date: self.opt_date(FieldKey::ConsentDate),
            consent_purpose: self.value(FieldKey::ConsentPurpose).to_string().into(),
            closeness: Closeness::parse(self.value(FieldKey::Closeness)).unwrap_or_default(),
            last_contacted: self.opt_date(FieldKey::LastContacted),
            stints,
            // Kept from other formats; the form does not show it.
            extra: base.extra.clone(),
        }
    }
}
