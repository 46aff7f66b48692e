//! The whole UI as data, and `update`: pure, no IO, no clock, no terminal.
//! Changes to records are returned as `Effect`s for the app loop to store.

mod cohorts;
mod edit;
mod form;
mod form_input;
mod ids;
mod list;
mod loading;
mod order;
mod overlaps;
mod picker;
mod refresh;
mod reunion;
mod undo;
mod update;

pub use edit::Pending;
pub use form::{Field, FieldKey, Form, FormKind};
pub use form_input::discard_question;
pub use list::ListView;
pub use picker::{PickFor, Picker};
pub use reunion::Suggestions;
pub use undo::Deleted;
pub use update::{run_pending_search, update};

use std::collections::HashMap;

use chrono::NaiveDate;

use super::i18n::{Lang, t};
use super::keymap::Context;
use crate::analytics::report::Report;
use crate::analytics::{Settings, StintIndex};
use crate::domain::{Cohort, Event, Person};
use crate::search::{self, Index, Query};

/// Everything loaded from the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Data {
    pub people: Vec<Person>,
    pub cohorts: Vec<Cohort>,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    People,
    Cohorts,
    Events,
}

impl Pane {
    pub const ALL: [Pane; 3] = [Pane::People, Pane::Cohorts, Pane::Events];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Reading,
    Joined,
    Left,
    LastContacted,
}

impl Sort {
    pub fn key(self) -> &'static str {
        match self {
            Sort::Reading => "sort.reading",
            Sort::Joined => "sort.joined",
            Sort::Left => "sort.left",
            Sort::LastContacted => "sort.last_contacted",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
}

#[derive(Debug, Clone)]
pub enum Popup {
    Help { scroll: usize },
    Confirm { message: String, pending: Pending },
    Form(Form),
    Picker(Picker),
    Suggestions(Suggestions),
}

/// What the app loop must do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Store a person; for a new one (empty id) answer with `Action::Saved`.
    /// Anyone else must still be in the store (not deleted or erased by
    /// another process meanwhile).
    SavePerson {
        person: Person,
        slot: usize,
    },
    /// Put a deleted person back (undo), under their id.
    RestorePerson(Box<Person>),
    DeletePerson(String),
    /// Erase a person on request (`Store::forget`): no undo. Answered
    /// with `Action::Erased`.
    ForgetPerson {
        id: String,
        name: String,
    },
    SaveCohort {
        cohort: Cohort,
        slot: usize,
    },
    DeleteCohort(String),
    SaveEvent {
        event: Event,
        slot: usize,
    },
    DeleteEvent(String),
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Info(String),
    Error(String),
}

pub struct State {
    pub today: NaiveDate,
    pub lang: Lang,
    pub settings: Settings,
    pub data: Data,
    pub index: Index,
    /// The People search's results per typed prefix (incremental narrowing).
    pub narrow: search::Narrowing,
    /// Every stint sorted by start, for overlaps; rebuilt when people change.
    pub stints: StintIndex,
    /// The selected person's overlaps as last drawn: (person, stint index
    /// generation) -> (how many, the closest three). On a large roster a
    /// person overlapped with a third of it, so frames that only echo a key
    /// must not count them again.
    overlap_memo: std::cell::RefCell<Option<((usize, u64), Overlaps)>>,
    /// Generation cohorts, computed from first joined years; in the Cohorts
    /// list after the hand-made ones.
    pub generations: Vec<Cohort>,
    /// Each generation's members, as positions in `data.people`.
    generation_members: Vec<Vec<u32>>,
    /// How many first joined in each year, by year (the Cohorts pane's
    /// chart; counted with the generations, not at every frame).
    pub joined_by_year: std::collections::BTreeMap<i32, u64>,
    /// The Events pane shows the balance report instead of the invitations.
    pub balance: bool,
    /// The balance report of the selected event, while `balance` is on.
    pub report: Option<Report>,
    /// How far the balance report is scrolled down, in lines, and how far it
    /// can be (as the last frame drew it: the report's length on screen).
    pub balance_scroll: u16,
    pub balance_room: std::cell::Cell<u16>,
    /// How far the help can scroll down, in lines (as the last frame drew
    /// it), so its moving keys stop at its last line.
    pub help_room: std::cell::Cell<u16>,
    /// Person id -> position in `data.people` (`position_of`).
    person_at: ids::IdIndex,
    pub pane: Pane,
    pub focus: Focus,
    pub sort: Sort,
    /// People in the current sort order (without search).
    sorted: Vec<u32>,
    /// Where each person is in `sorted` (its inverse), made when first
    /// asked for after `sorted` changed (`sorted_rank`).
    rank: std::cell::OnceCell<Vec<u32>>,
    pub people: ListView,
    pub cohorts: ListView,
    pub events: ListView,
    /// The detail-side lists: members of the selected cohort, invitations
    /// of the selected event (indices into their vectors).
    pub members: ListView,
    pub invitations: ListView,
    /// One search line per pane, and one for an event's invitations (slot
    /// 3, to find a guest on the night); `editing` while the cursor is in it.
    pub search: [String; 4],
    pub editing: bool,
    /// `/` reopened a search line that has text: it is shown selected, and
    /// the first key typed replaces it (Backspace or Ctrl-U empty it, →
    /// keeps it to type after it), so each `/` starts a new search.
    pub search_selected: bool,
    pub popup: Option<Popup>,
    pub message: Option<Message>,
    pub undo: Option<Deleted>,
    /// (event id, person id) -> the reply a guest had before `x` marked
    /// them attended, for `x` again to give it back.
    pub before_attended: HashMap<(String, String), crate::domain::InvitationStatus>,
    /// Terminal size, for paging and mouse hits.
    pub size: (u16, u16),
    /// While the whole roster loads in the background: how many people it
    /// holds. The first page is shown meanwhile, and only reading, moving
    /// and typing a search are possible.
    pub loading: Option<usize>,
    /// The loading thread first makes the search texts again, as it does
    /// once after an upgrade that changed how they are made.
    pub renewing: bool,
    /// The People search text changed and its results are not in yet: the
    /// app loop ranks between keys (`run_pending_search`), so typing never
    /// waits for a large roster's ranking.
    pub search_pending: bool,
    /// Rosters from this size on rank the People search that way; smaller
    /// ones rank on every key at once.
    pub defer_search_above: usize,
    pub quit: bool,
}

impl State {
    pub fn new(data: Data, today: NaiveDate, lang: Lang) -> State {
        Self::with_settings(data, today, lang, Settings::default())
    }

    pub fn with_settings(data: Data, today: NaiveDate, lang: Lang, settings: Settings) -> State {
        let index = Index::build(&data.people);
        Self::with_index(data, index, today, lang, settings)
    }

    /// With a search index made already (from the store's search texts; it
    /// must hold `data.people` in order).
    pub fn with_index(
        data: Data,
        index: Index,
        today: NaiveDate,
        lang: Lang,
        settings: Settings,
    ) -> State {
        Self::with_orders(data, index, None, today, lang, settings)
    }

    /// As `with_index`, with the roster's orders as the store's indexes
    /// gave them (`Store::orders`): at a million people that spares 1.6 s
    /// of sorting. Orders that do not fit the people (read at another
    /// moment) are not used.
    pub fn with_orders(
        data: Data,
        index: Index,
        orders: Option<crate::store::Orders>,
        today: NaiveDate,
        lang: Lang,
        settings: Settings,
    ) -> State {
        debug_assert_eq!(index.len(), data.people.len());
        let stints = StintIndex::build(&data.people, today);
        let mut s = State {
            today,
            lang,
            settings,
            data,
            index,
            narrow: search::Narrowing::default(),
            stints,
            overlap_memo: Default::default(),
            generations: Vec::new(),
            generation_members: Vec::new(),
            joined_by_year: Default::default(),
            balance: false,
            report: None,
            balance_scroll: 0,
            balance_room: Default::default(),
            help_room: Default::default(),
            person_at: Default::default(),
            pane: Pane::People,
            focus: Focus::List,
            sort: Sort::Reading,
            sorted: Vec::new(),
            rank: Default::default(),
            people: ListView::default(),
            cohorts: ListView::default(),
            events: ListView::default(),
            members: ListView::default(),
            invitations: ListView::default(),
            search: Default::default(),
            editing: false,
            search_selected: false,
            popup: None,
            message: None,
            undo: None,
            before_attended: HashMap::new(),
            size: (80, 24),
            loading: None,
            renewing: false,
            search_pending: false,
            defer_search_above: DEFER_SEARCH_ABOVE,
            quit: false,
        };
        let given = orders.and_then(|o| {
            let ids = ids::IdIndex::from_sorted(o.by_id, &s.data.people)?;
            Some((ids, o.by_sort_key))
        });
        let Some((ids, sorted)) = given else {
            s.reorder();
            return s;
        };
        s.person_at = ids;
        // The list starts sorted by reading, the order of the sort keys.
        debug_assert_eq!(s.sort, Sort::Reading);
        match sorted.filter(|o| order::is_permutation(o, s.data.people.len())) {
            Some(sorted) => {
                s.sorted = sorted;
                s.rank.take();
                s.refresh_people();
            }
            None => s.resort(),
        }
        s.refresh_cohorts();
        s.refresh_events();
        s
    }

    pub fn query(&self, pane: Pane) -> Query {
        Query::parse(&self.search[pane as usize])
    }

    pub fn selected_person(&self) -> Option<&Person> {
        self.people.current().map(|i| &self.data.people[i])
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.position_of(id).map(|i| &self.data.people[i])
    }

    /// Where the person with `id` is in `data.people`.
    pub fn position_of(&self, id: &str) -> Option<usize> {
        self.person_at.get(&self.data.people, id)
    }

    /// The key context for what has focus now.
    /// Whether the balance report covers the Events pane and takes the keys
    /// (`update::balance_action`), popups aside: the status line and the
    /// help then say its keys, not the event list's.
    pub fn report_takes_keys(&self) -> bool {
        !self.editing && self.pane == Pane::Events && self.balance
    }

    pub fn context(&self) -> Context {
        match &self.popup {
            Some(Popup::Help { .. }) => Context::Help,
            Some(Popup::Confirm {
                pending: Pending::ForgetPerson(_),
                ..
            }) => Context::Erase,
            Some(Popup::Confirm { .. }) => Context::Confirm,
            // Esc on a changed form asks: y or n, as any confirmation.
            Some(Popup::Form(f)) if f.asking_discard => Context::Confirm,
            Some(Popup::Form(_)) => Context::Form,
            // Esc with people chosen asks: y or n, as any confirmation.
            Some(Popup::Picker(p)) if p.asking_drop => Context::Confirm,
            Some(Popup::Picker(_)) => Context::Picker,
            Some(Popup::Suggestions(_)) => Context::Suggestions,
            None => self.context_without_popup(),
        }
    }

    /// The context of the panes under any popup (what help describes).
    pub fn context_without_popup(&self) -> Context {
        if self.editing {
            return Context::Search;
        }
        match (self.pane, self.focus) {
            (Pane::People, _) => Context::People,
            (Pane::Cohorts, Focus::List) => Context::Cohorts,
            (Pane::Cohorts, Focus::Detail) => Context::Members,
            (Pane::Events, Focus::List) => Context::Events,
            (Pane::Events, Focus::Detail) => Context::Invitations,
        }
    }

    /// Rows a page of the main list holds (for PageUp/PageDown).
    pub fn page(&self) -> usize {
        (self.size.1 as usize).saturating_sub(6).max(1)
    }

    fn info(&mut self, key: &str) {
        self.message = Some(Message::Info(t(self.lang, key).to_string()));
    }

    fn error(&mut self, text: String) {
        self.message = Some(Message::Error(text));
    }

    /// The list that has focus now.
    fn focused_list(&mut self) -> &mut ListView {
        match (self.pane, self.focus) {
            (Pane::People, _) => &mut self.people,
            (Pane::Cohorts, Focus::List) => &mut self.cohorts,
            (Pane::Cohorts, Focus::Detail) => &mut self.members,
            (Pane::Events, Focus::List) => &mut self.events,
            (Pane::Events, Focus::Detail) => &mut self.invitations,
        }
    }

    fn after_move(&mut self) {
        match (self.pane, self.focus) {
            (Pane::Cohorts, Focus::List) => self.refresh_members(),
            (Pane::Events, Focus::List) => self.refresh_invitations(),
            _ => {}
        }
    }

    fn move_selection(&mut self, delta: isize) {
        self.focused_list().move_by(delta);
        self.after_move();
    }

    fn switch_pane(&mut self, pane: Pane) {
        self.pane = pane;
        self.focus = Focus::List;
        self.editing = false;
        self.search_selected = false;
    }
}

/// How many people someone overlapped with, and the closest few with the
/// days they shared.
pub type Overlaps = (usize, Vec<(usize, i64)>);

/// See `State::defer_search_above`.
pub const DEFER_SEARCH_ABOVE: usize = 20_000;

/// The slot of `State::search` used for an event's invitations.
pub const INVITATIONS_SEARCH: usize = 3;

/// Sort key for Japanese readers: the reading (hiragana-folded) when there
/// is one, else the name.
pub fn reading_key(p: &Person) -> String {
    search::normalize::sort_key(p)
}

#[cfg(test)]
mod tests;
