//! Adding, editing and deleting records: forms that validate as you type,
//! deletion behind a confirmation, and undo of the last delete.

use super::{Effect, Focus, Message, Pane, Popup, State};
use crate::domain::date::parse_date;
use crate::domain::person::email_problem;
use crate::domain::{
    Closeness, Cohort, Consent, Event, Invitation, InvitationStatus, Person, Stint,
};
use crate::tui::action::{Action, Kind};
use crate::tui::i18n::{t, tf};

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
}

/// What a confirmation will do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    DeletePerson(usize),
    DeleteCohort(usize),
    DeleteEvent(usize),
}

/// The last deleted record, with what referred to it, for `u`.
#[derive(Debug, Clone, PartialEq)]
pub enum Deleted {
    Person {
        person: Box<Person>,
        /// (cohort id, position in its member list)
        cohorts: Vec<(String, usize)>,
        /// (event id, position, status, parts attended)
        invitations: Vec<(String, usize, InvitationStatus, Vec<String>)>,
    },
    Cohort(Cohort),
    Event(Event),
}

fn field(key: FieldKey, value: impl Into<String>) -> Field {
    Field {
        key,
        value: value.into(),
        error: None,
    }
}

fn date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn stint_fields(n: usize, s: &Stint) -> [Field; 4] {
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
            field(FieldKey::Title, p.title.clone()),
            field(FieldKey::Location, p.location.clone()),
            field(FieldKey::Tags, p.tags.join("; ")),
            field(FieldKey::Consent, p.consent.as_str()),
            field(FieldKey::ConsentDate, date(p.consent_date)),
            field(FieldKey::Closeness, p.closeness.as_str()),
            field(FieldKey::LastContacted, date(p.last_contacted)),
            field(FieldKey::Notes, p.notes.clone()),
        ];
        let stints = if p.stints.is_empty() {
            vec![Stint::default()]
        } else {
            p.stints.clone()
        };
        for (n, s) in stints.iter().enumerate() {
            fields.extend(stint_fields(n, s));
        }
        let mut f = Form {
            kind: FormKind::Person(slot),
            fields,
            focus: 0,
        };
        f.validate_all();
        f
    }

    pub fn cohort(slot: Option<usize>, c: &Cohort) -> Form {
        Form {
            kind: FormKind::Cohort(slot),
            fields: vec![field(FieldKey::CohortName, c.name.clone())],
            focus: 0,
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
                field(FieldKey::EventParts, e.parts.join("; ")),
            ],
            focus: 0,
        }
    }

    fn value(&self, key: FieldKey) -> &str {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map_or("", |f| f.value.trim())
    }

    fn stint_count(&self) -> usize {
        self.fields
            .iter()
            .filter_map(|f| f.key.stint())
            .max()
            .map_or(0, |n| n + 1)
    }

    /// Checks one field (and, for stint dates, its partner).
    fn validate(&mut self, i: usize) {
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

    fn validate_all(&mut self) {
        for i in 0..self.fields.len() {
            self.validate(i);
        }
    }

    pub fn is_valid(&self) -> bool {
        self.fields.iter().all(|f| f.error.is_none())
    }

    fn list(&self, key: FieldKey) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for v in self
            .value(key)
            .split(';')
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            if !out.iter().any(|o| o == v) {
                out.push(v.to_string());
            }
        }
        out
    }

    fn opt_date(&self, key: FieldKey) -> Option<chrono::NaiveDate> {
        parse_date(self.value(key)).ok()
    }

    /// The person the form describes (call only when valid).
    fn to_person(&self, base: &Person) -> Person {
        let stints = (0..self.stint_count())
            .map(|n| Stint {
                joined: self.opt_date(FieldKey::Joined(n)),
                left: self.opt_date(FieldKey::Left(n)),
                department: self.value(FieldKey::Department(n)).to_string(),
                role: self.value(FieldKey::Role(n)).to_string(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        Person {
            id: base.id.clone(),
            name: self.value(FieldKey::Name).to_string(),
            reading: self.value(FieldKey::Reading).to_string(),
            nickname: self.value(FieldKey::Nickname).to_string(),
            emails: self.list(FieldKey::Emails),
            phones: self.list(FieldKey::Phones),
            links: self.list(FieldKey::Links),
            company: self.value(FieldKey::Company).to_string(),
            title: self.value(FieldKey::Title).to_string(),
            location: self.value(FieldKey::Location).to_string(),
            tags: self.list(FieldKey::Tags),
            notes: self.value(FieldKey::Notes).to_string(),
            consent: Consent::parse(self.value(FieldKey::Consent)).unwrap_or_default(),
            consent_date: self.opt_date(FieldKey::ConsentDate),
            closeness: Closeness::parse(self.value(FieldKey::Closeness)).unwrap_or_default(),
            last_contacted: self.opt_date(FieldKey::LastContacted),
            stints,
            // Kept from other formats; the form does not show it.
            extra: base.extra.clone(),
        }
    }
}

pub(super) fn open_add(s: &mut State) -> Vec<Effect> {
    s.popup = Some(Popup::Form(match s.pane {
        Pane::People => Form::person(None, &Person::default()),
        Pane::Cohorts => Form::cohort(None, &Cohort::default()),
        Pane::Events => Form::event(None, &Event::default()),
    }));
    Vec::new()
}

pub(super) fn open_edit(s: &mut State) -> Vec<Effect> {
    let form = match s.pane {
        Pane::People => s
            .people
            .current()
            .map(|i| Form::person(Some(i), &s.data.people[i])),
        Pane::Cohorts => match s.cohorts.current() {
            Some(i) if s.is_generation(i) => {
                s.error(t(s.lang, "msg.generation_readonly").to_string());
                None
            }
            other => other.map(|i| Form::cohort(Some(i), &s.data.cohorts[i])),
        },
        Pane::Events => s
            .events
            .current()
            .map(|i| Form::event(Some(i), &s.data.events[i])),
    };
    s.popup = form.map(Popup::Form);
    Vec::new()
}

pub(super) fn form_action(s: &mut State, mut form: Form, action: Action) -> Vec<Effect> {
    let n = form.fields.len();
    match action {
        Action::Cancel => return Vec::new(),
        Action::Input(c) => {
            form.fields[form.focus].value.push(c);
            form.validate(form.focus);
        }
        Action::Backspace => {
            form.fields[form.focus].value.pop();
            form.validate(form.focus);
        }
        Action::NextField => form.focus = (form.focus + 1) % n,
        Action::PrevField => form.focus = (form.focus + n - 1) % n,
        Action::AddStint if matches!(form.kind, FormKind::Person(_)) => {
            let k = form.stint_count();
            form.fields.extend(stint_fields(k, &Stint::default()));
            form.focus = form.fields.len() - 4;
        }
        Action::RemoveStint => {
            if let Some(k) = form.fields[form.focus].key.stint() {
                form.fields.retain(|f| f.key.stint() != Some(k));
                // Renumber the later stints so they stay contiguous.
                for f in &mut form.fields {
                    f.key = match f.key {
                        FieldKey::Joined(m) if m > k => FieldKey::Joined(m - 1),
                        FieldKey::Left(m) if m > k => FieldKey::Left(m - 1),
                        FieldKey::Department(m) if m > k => FieldKey::Department(m - 1),
                        FieldKey::Role(m) if m > k => FieldKey::Role(m - 1),
                        other => other,
                    };
                }
                form.focus = form.focus.min(form.fields.len() - 1);
            }
        }
        Action::Save => {
            form.validate_all();
            if form.is_valid() {
                return save(s, &form);
            }
            s.message = Some(Message::Error(t(s.lang, "msg.form_invalid").to_string()));
            if let Some(i) = form.fields.iter().position(|f| f.error.is_some()) {
                form.focus = i;
            }
        }
        _ => {}
    }
    s.popup = Some(Popup::Form(form));
    Vec::new()
}

fn save(s: &mut State, form: &Form) -> Vec<Effect> {
    match form.kind {
        FormKind::Person(slot) => {
            let base = slot.map(|i| s.data.people[i].clone()).unwrap_or_default();
            let person = form.to_person(&base);
            let slot = match slot {
                Some(i) => {
                    s.data.people[i] = person.clone();
                    s.index.set(i, &person);
                    i
                }
                None => {
                    s.data.people.push(person.clone());
                    s.index.push(&person);
                    s.data.people.len() - 1
                }
            };
            s.resort();
            s.people.select_record(slot);
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.saved",
                &[("name", &person.name)],
            )));
            vec![Effect::SavePerson { person, slot }]
        }
        FormKind::Cohort(slot) => {
            let mut cohort = slot.map(|i| s.data.cohorts[i].clone()).unwrap_or_default();
            cohort.name = form.value(FieldKey::CohortName).to_string();
            let slot = put(&mut s.data.cohorts, slot, cohort.clone());
            s.refresh_cohorts();
            s.cohorts.select_record(slot);
            s.refresh_members();
            vec![Effect::SaveCohort { cohort, slot }]
        }
        FormKind::Event(slot) => {
            let mut event = slot.map(|i| s.data.events[i].clone()).unwrap_or_default();
            event.name = form.value(FieldKey::EventName).to_string();
            event.date = form.opt_date(FieldKey::EventDate);
            event.venue = form.value(FieldKey::EventVenue).to_string();
            event.notes = form.value(FieldKey::EventNotes).to_string();
            event.parts = form.list(FieldKey::EventParts);
            // Attendance of a part that no longer exists goes with it.
            for inv in &mut event.invitations {
                inv.attended_parts.retain(|p| event.parts.contains(p));
            }
            let slot = put(&mut s.data.events, slot, event.clone());
            s.refresh_events();
            s.events.select_record(slot);
            s.refresh_invitations();
            vec![Effect::SaveEvent { event, slot }]
        }
    }
}

fn put<T>(v: &mut Vec<T>, slot: Option<usize>, x: T) -> usize {
    match slot {
        Some(i) => {
            v[i] = x;
            i
        }
        None => {
            v.push(x);
            v.len() - 1
        }
    }
}

/// The store gave a new record its id.
pub(super) fn saved(s: &mut State, kind: Kind, slot: usize, id: String) {
    match kind {
        Kind::Person => {
            if let Some(p) = s.data.people.get_mut(slot) {
                p.id = id.clone();
                s.person_at.insert(id, slot);
            }
        }
        Kind::Cohort => {
            if let Some(c) = s.data.cohorts.get_mut(slot) {
                c.id = id;
            }
        }
        Kind::Event => {
            if let Some(e) = s.data.events.get_mut(slot) {
                e.id = id;
            }
        }
    }
}

pub(super) fn ask_delete(s: &mut State) {
    let (name, pending) = match s.pane {
        Pane::People => match s.people.current() {
            Some(i) => {
                let p = &s.data.people[i];
                (format!("{} ({})", p.name, p.id), Pending::DeletePerson(i))
            }
            None => return,
        },
        Pane::Cohorts => match s.cohorts.current() {
            Some(i) if s.is_generation(i) => {
                s.error(t(s.lang, "msg.generation_readonly").to_string());
                return;
            }
            Some(i) => (s.data.cohorts[i].name.clone(), Pending::DeleteCohort(i)),
            None => return,
        },
        Pane::Events => match s.events.current() {
            Some(i) => (s.data.events[i].name.clone(), Pending::DeleteEvent(i)),
            None => return,
        },
    };
    let name = crate::text::sanitize(&name).into_owned();
    s.popup = Some(Popup::Confirm {
        message: tf(s.lang, "confirm.delete", &[("name", &name)]),
        pending,
    });
}

pub(super) fn confirmed(s: &mut State, pending: Pending) -> Vec<Effect> {
    let undo_key = t(s.lang, "msg.undo_hint");
    match pending {
        Pending::DeletePerson(i) => {
            let person = s.data.people.remove(i);
            s.index.remove(i);
            let mut cohorts = Vec::new();
            for c in &mut s.data.cohorts {
                if let Some(pos) = c.members.iter().position(|m| *m == person.id) {
                    c.members.remove(pos);
                    cohorts.push((c.id.clone(), pos));
                }
            }
            let mut invitations = Vec::new();
            for e in &mut s.data.events {
                if let Some(pos) = e.invitations.iter().position(|v| v.person == person.id) {
                    let inv = e.invitations.remove(pos);
                    invitations.push((e.id.clone(), pos, inv.status, inv.attended_parts));
                }
            }
            s.reindex();
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(s.lang, "msg.deleted", &[("name", &person.name)])
            )));
            let id = person.id.clone();
            s.undo = Some(Deleted::Person {
                person: Box::new(person),
                cohorts,
                invitations,
            });
            vec![Effect::DeletePerson(id)]
        }
        Pending::DeleteCohort(i) => {
            let c = s.data.cohorts.remove(i);
            s.refresh_cohorts();
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(s.lang, "msg.deleted", &[("name", &c.name)])
            )));
            let id = c.id.clone();
            s.undo = Some(Deleted::Cohort(c));
            vec![Effect::DeleteCohort(id)]
        }
        Pending::DeleteEvent(i) => {
            let e = s.data.events.remove(i);
            s.refresh_events();
            s.message = Some(Message::Info(format!(
                "{} {undo_key}",
                tf(s.lang, "msg.deleted", &[("name", &e.name)])
            )));
            let id = e.id.clone();
            s.undo = Some(Deleted::Event(e));
            vec![Effect::DeleteEvent(id)]
        }
    }
}

pub(super) fn undo(s: &mut State) -> Vec<Effect> {
    let Some(deleted) = s.undo.take() else {
        s.info("msg.nothing_to_undo");
        return Vec::new();
    };
    let mut effects = Vec::new();
    match deleted {
        Deleted::Person {
            person,
            cohorts,
            invitations,
        } => {
            let person = *person;
            s.data.people.push(person.clone());
            s.index.push(&person);
            let slot = s.data.people.len() - 1;
            effects.push(Effect::SavePerson {
                person: person.clone(),
                slot,
            });
            for (cid, pos) in cohorts {
                if let Some(ci) = s.data.cohorts.iter().position(|c| c.id == cid) {
                    let c = &mut s.data.cohorts[ci];
                    c.members
                        .insert(pos.min(c.members.len()), person.id.clone());
                    effects.push(Effect::SaveCohort {
                        cohort: c.clone(),
                        slot: ci,
                    });
                }
            }
            for (eid, pos, status, attended_parts) in invitations {
                if let Some(ei) = s.data.events.iter().position(|e| e.id == eid) {
                    let e = &mut s.data.events[ei];
                    let inv = Invitation {
                        person: person.id.clone(),
                        status,
                        attended_parts,
                    };
                    e.invitations.insert(pos.min(e.invitations.len()), inv);
                    effects.push(Effect::SaveEvent {
                        event: e.clone(),
                        slot: ei,
                    });
                }
            }
            s.reindex();
            s.pane = Pane::People;
            s.people.select_record(slot);
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.restored",
                &[("name", &person.name)],
            )));
        }
        Deleted::Cohort(c) => {
            s.data.cohorts.push(c.clone());
            let slot = s.data.cohorts.len() - 1;
            s.refresh_cohorts();
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.restored",
                &[("name", &c.name)],
            )));
            effects.push(Effect::SaveCohort { cohort: c, slot });
        }
        Deleted::Event(e) => {
            s.data.events.push(e.clone());
            let slot = s.data.events.len() - 1;
            s.refresh_events();
            s.message = Some(Message::Info(tf(
                s.lang,
                "msg.restored",
                &[("name", &e.name)],
            )));
            effects.push(Effect::SaveEvent { event: e, slot });
        }
    }
    effects
}

/// Changes the reply of the selected invitation (Events pane, detail focus).
/// A reply or a visit is contact: the person's last contact becomes today.
/// Attendance is per part: marking someone attended counts the first part
/// unless parts were already recorded; other replies clear the parts.
pub(super) fn set_status(s: &mut State, status: InvitationStatus) -> Vec<Effect> {
    if s.pane != Pane::Events || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(e), Some(i)) = (s.events.current(), s.invitations.current()) else {
        return Vec::new();
    };
    let first_part = s.data.events[e].parts.first().cloned();
    let inv = &mut s.data.events[e].invitations[i];
    inv.status = status;
    if status == InvitationStatus::Attended {
        if inv.attended_parts.is_empty()
            && let Some(p) = first_part
        {
            inv.attended_parts.push(p);
        }
    } else {
        inv.attended_parts.clear();
    }
    let parts = s.data.events[e].parts.clone();
    let inv = &mut s.data.events[e].invitations[i];
    inv.attended_parts
        .sort_by_key(|p| parts.iter().position(|x| x == p));
    let person_id = inv.person.clone();
    let event = s.data.events[e].clone();
    let mut effects = vec![Effect::SaveEvent { event, slot: e }];
    if status != InvitationStatus::Invited
        && let Some(&p) = s.person_at.get(&person_id)
        && s.data.people[p].last_contacted < Some(s.today)
    {
        s.data.people[p].last_contacted = Some(s.today);
        effects.push(Effect::SavePerson {
            person: s.data.people[p].clone(),
            slot: p,
        });
    }
    s.refresh_invitations();
    s.invitations.select_record(i);
    effects
}

pub(super) fn uninvite(s: &mut State) -> Vec<Effect> {
    if s.pane != Pane::Events || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(e), Some(i)) = (s.events.current(), s.invitations.current()) else {
        return Vec::new();
    };
    s.data.events[e].invitations.remove(i);
    let event = s.data.events[e].clone();
    s.refresh_invitations();
    vec![Effect::SaveEvent { event, slot: e }]
}

pub(super) fn remove_member(s: &mut State) -> Vec<Effect> {
    if s.pane != Pane::Cohorts || s.focus != Focus::Detail {
        return Vec::new();
    }
    let (Some(c), Some(i)) = (s.cohorts.current(), s.members.current()) else {
        return Vec::new();
    };
    if s.is_generation(c) {
        s.error(t(s.lang, "msg.generation_readonly").to_string());
        return Vec::new();
    }
    s.data.cohorts[c].members.remove(i);
    let cohort = s.data.cohorts[c].clone();
    s.refresh_members();
    vec![Effect::SaveCohort { cohort, slot: c }]
}
