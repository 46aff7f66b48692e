//! Forms for people, cohorts and events: fields as text, checked as you
//! type, with a cursor; choice fields (consent, closeness) hold one of their
//! values only. Each field remembers the value it opened with, so a save
//! writes back untouched fields exactly as they were.

use crate::domain::date::parse_date;
use crate::domain::person::email_problem;
use crate::domain::{Closeness, Cohort, Consent, Event, Person, Stint, Text};
use crate::tui::i18n::{Lang, tf};
use unicode_segmentation::UnicodeSegmentation;

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

    /// The values of a choice field, in the order ←/→ and Space cycle them.
    pub fn choices(self) -> Option<&'static [&'static str]> {
        match self {
            FieldKey::Consent => Some(&["yes", "no", "unknown"]),
            FieldKey::Closeness => Some(&["close", "in_touch", "distant", "lost"]),
            _ => None,
        }
    }

    /// Words the importer reads for a choice field's values besides their
    /// names and labels (as `Consent::parse` and `Closeness::parse` take
    /// them; a test keeps the two in step), for a word typed one letter at
    /// a time: `不` of `不可` is not yet no.
    pub fn words(self) -> &'static [(&'static str, &'static str)] {
        match self {
            FieldKey::Consent => &[
                ("同意", "yes"),
                ("はい", "yes"),
                ("不可", "no"),
                ("拒否", "no"),
                ("いいえ", "no"),
                ("未確認", "unknown"),
                ("○", "yes"),
                ("×", "no"),
            ],
            FieldKey::Closeness => &[("親密", "close"), ("普通", "in_touch"), ("不明", "lost")],
            _ => &[],
        }
    }

    /// Consent's values with the Japanese words it takes for each, as
    /// its hint names them: `yes 可 同意 はい ○ · no 否 …`.
    pub fn consent_values() -> String {
        let key = FieldKey::Consent;
        key.choices()
            .unwrap_or_default()
            .iter()
            .map(|v| {
                let mut group = vec![*v, crate::tui::i18n::t(Lang::Ja, &key.choice_label(v))];
                group.extend(key.words().iter().filter(|(_, w)| w == v).map(|(w, _)| *w));
                group.join(" ")
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The catalogue key of a choice's label (`consent.yes`).
    pub fn choice_label(self, value: &str) -> String {
        let group = match self {
            FieldKey::Consent => "consent",
            _ => "closeness",
        };
        format!("{group}.{value}")
    }

    /// Fields shown over several lines, where Alt-Enter starts a new line.
    pub fn is_multiline(self) -> bool {
        matches!(self, FieldKey::Notes | FieldKey::EventNotes)
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
    /// Where typing goes: a byte offset into `value`, between graphemes.
    pub cursor: usize,
    /// The value the form opened with.
    pub original: String,
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
    /// Esc was pressed with changes: the form asks whether to discard them.
    pub asking_discard: bool,
    /// What was typed into the focused choice field since the last other
    /// key, to read a word typed one letter at a time (`不可`).
    pub(super) typed: String,
    /// The fields as opened, to tell whether anything changed.
    initial: Vec<(FieldKey, String)>,
}

pub(super) fn field(key: FieldKey, value: impl Into<String>) -> Field {
    let value = value.into();
    Field {
        key,
        cursor: value.len(),
        original: value.clone(),
        value,
        error: None,
    }
}

impl Field {
    /// Whether the coordinator changed the value.
    pub fn changed(&self) -> bool {
        self.value != self.original
    }

    pub fn insert(&mut self, text: &str) {
        self.value.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    /// Removes the grapheme before the cursor.
    pub fn backspace(&mut self) {
        if let Some((i, _)) = self.value[..self.cursor].grapheme_indices(true).next_back() {
            self.value.replace_range(i..self.cursor, "");
            self.cursor = i;
        }
    }

    /// Removes the grapheme under the cursor.
    pub fn delete(&mut self) {
        if let Some(g) = self.value[self.cursor..].graphemes(true).next() {
            let end = self.cursor + g.len();
            self.value.replace_range(self.cursor..end, "");
        }
    }

    pub fn left(&mut self) {
        if let Some((i, _)) = self.value[..self.cursor].grapheme_indices(true).next_back() {
            self.cursor = i;
        }
    }

    pub fn right(&mut self) {
        if let Some(g) = self.value[self.cursor..].graphemes(true).next() {
            self.cursor += g.len();
        }
    }

    /// To the start of the value; in notes, of the line the cursor is on.
    pub fn home(&mut self) {
        self.cursor = if self.key.is_multiline() {
            self.value[..self.cursor]
                .rfind(['\n', '\r'])
                .map_or(0, |i| i + 1)
        } else {
            0
        };
    }

    /// To the end of the value; in notes, of the line the cursor is on
    /// (before its line break, `\r\n` or `\n`).
    pub fn end(&mut self) {
        let rest = &self.value[self.cursor..];
        self.cursor += if self.key.is_multiline() {
            rest.find(['\n', '\r']).unwrap_or(rest.len())
        } else {
            rest.len()
        };
    }

    pub fn clear(&mut self) {
        self.value.clear();
        self.cursor = 0;
    }

    fn set(&mut self, value: &str) {
        self.value = value.to_string();
        self.cursor = self.value.len();
    }

    /// A choice field moves `step` values on, round the list.
    pub fn cycle(&mut self, step: isize) {
        let Some(values) = self.key.choices() else {
            return;
        };
        let n = values.len() as isize;
        let at = values.iter().position(|v| *v == self.value).unwrap_or(0) as isize;
        self.set(values[(at + step).rem_euclid(n) as usize]);
    }

    /// A choice field takes the value `typed` names: what the importer
    /// reads for it (`Consent::parse`: `不可` and `いいえ` are no, `○` yes),
    /// else the first value whose name or label, in either language, or
    /// failing that a word the importer reads, starts with it. False when
    /// none does.
    pub fn take(&mut self, typed: &str) -> bool {
        let Some(values) = self.key.choices() else {
            return false;
        };
        let typed = typed.to_lowercase();
        if typed.trim().is_empty() {
            return false; // parse reads blank as unknown; a blank key is no choice
        }
        let parsed = match self.key {
            FieldKey::Consent => Consent::parse(&typed).map(Consent::as_str),
            _ => Closeness::parse(&typed).map(Closeness::as_str),
        };
        let label = |v: &str, lang| crate::tui::i18n::t(lang, &self.key.choice_label(v));
        let named = || {
            values.iter().copied().find(|v| {
                v.starts_with(&typed)
                    || [Lang::En, Lang::Ja]
                        .iter()
                        .any(|&l| label(v, l).to_lowercase().starts_with(&typed))
            })
        };
        let word = || {
            self.key
                .words()
                .iter()
                .find(|(w, _)| w.starts_with(&typed))
                .map(|(_, v)| *v)
        };
        match parsed.or_else(named).or_else(word) {
            Some(v) => {
                self.set(v);
                true
            }
            None => false,
        }
    }
}

pub(super) fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub(super) fn stint_fields(n: usize, s: &Stint) -> [Field; 4] {
    [
        field(FieldKey::Joined(n), date(s.joined)),
        field(FieldKey::Left(n), date(s.left)),
        field(FieldKey::Department(n), s.department),
        field(FieldKey::Role(n), s.role),
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
            field(FieldKey::Company, p.company),
            field(FieldKey::Title, p.title.as_str()),
            field(FieldKey::Location, p.location),
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
        let mut f = Form::new(FormKind::Person(slot), fields);
        f.validate_all();
        f
    }

    fn new(kind: FormKind, fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(|f| (f.key, f.value.clone())).collect();
        Form {
            kind,
            fields,
            focus: 0,
            lang: Lang::default(),
            asking_discard: false,
            typed: String::new(),
            initial,
        }
    }

    /// Whether anything differs from the form as it opened (a value, or a
    /// stint added or removed).
    pub fn is_changed(&self) -> bool {
        self.fields
            .iter()
            .map(|f| (f.key, f.value.as_str()))
            .ne(self.initial.iter().map(|(k, v)| (*k, v.as_str())))
    }

    /// The name of the record as it opened; `None` for a new one.
    pub fn record_name(&self) -> Option<&str> {
        match self.kind {
            FormKind::Person(None) | FormKind::Cohort(None) | FormKind::Event(None) => None,
            _ => self.initial.first().map(|(_, v)| v.as_str()),
        }
    }

    pub fn cohort(slot: Option<usize>, c: &Cohort) -> Form {
        Form::new(
            FormKind::Cohort(slot),
            vec![field(FieldKey::CohortName, c.name.clone())],
        )
    }

    pub fn event(slot: Option<usize>, e: &Event) -> Form {
        Form::new(
            FormKind::Event(slot),
            vec![
                field(FieldKey::EventName, e.name.clone()),
                field(FieldKey::EventDate, date(e.date)),
                field(FieldKey::EventVenue, e.venue.clone()),
                field(FieldKey::EventNotes, e.notes.clone()),
                field(FieldKey::EventParts, e.parts.join(", ")),
            ],
        )
    }

    pub(super) fn value(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    /// The text to save: trimmed when typed, exactly as it was when the
    /// field was not touched (a note's line breaks and spaces stay).
    pub(super) fn text(&self, key: FieldKey) -> String {
        match self.fields.iter().find(|f| f.key == key) {
            Some(f) if !f.changed() => f.value.clone(),
            Some(f) => f.value.trim().to_string(),
            None => String::new(),
        }
    }

    /// Whether the field `key` was changed (absent fields were not).
    pub(super) fn changed(&self, key: FieldKey) -> bool {
        self.fields.iter().any(|f| f.key == key && f.changed())
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
                .then(|| format!("{v:?}: {}", FieldKey::consent_values())),
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
                department: self.text(FieldKey::Department(n)).into(),
                role: self.text(FieldKey::Role(n)).into(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        // An untouched list is kept as it was (joined with `; ` and split
        // again, an entry holding `;` would come back as two).
        macro_rules! list {
            ($key:expr, $field:ident) => {
                if self.changed($key) {
                    self.list($key)
                } else {
                    base.$field.clone()
                }
            };
        }
        Person {
            id: base.id.clone(),
            name: self.text(FieldKey::Name).into(),
            reading: self.text(FieldKey::Reading).into(),
            nickname: self.text(FieldKey::Nickname).into(),
            emails: list!(FieldKey::Emails, emails),
            phones: list!(FieldKey::Phones, phones),
            links: list!(FieldKey::Links, links),
            company: self.text(FieldKey::Company).into(),
            title: self.text(FieldKey::Title).into(),
            location: self.text(FieldKey::Location).into(),
            tags: list!(FieldKey::Tags, tags),
            notes: self.text(FieldKey::Notes).into(),
            consent: Consent::parse(self.value(FieldKey::Consent)).unwrap_or_default(),
            consent_date: self.opt_date(FieldKey::ConsentDate),
            consent_purpose: self.text(FieldKey::ConsentPurpose).into(),
            closeness: Closeness::parse(self.value(FieldKey::Closeness)).unwrap_or_default(),
            last_contacted: self.opt_date(FieldKey::LastContacted),
            stints,
            // Kept from other formats; the form does not show it.
            extra: base.extra.clone(),
        }
    }
}
