//! Loading in the background: the first page shown meanwhile, and the
//! loaded (or reloaded) state taking over what the coordinator did.

use chrono::NaiveDate;

use super::{Data, Popup, State, update};
use crate::domain::Person;
use crate::tui::i18n::Lang;

impl State {
    /// The state to show while the roster of `total` people loads: its first
    /// page (in the list's order).
    pub fn preview(first_page: Vec<Person>, total: usize, today: NaiveDate, lang: Lang) -> State {
        let data = Data {
            people: first_page,
            ..Data::default()
        };
        let mut s = State::new(data, today, lang);
        s.loading = Some(total);
        s
    }

    /// The loaded state takes over from the preview what the coordinator
    /// did meanwhile: the search line, the selection, the window size.
    pub fn take_over(mut self, preview: &State) -> State {
        self.search = preview.search.clone();
        self.editing = preview.editing;
        self.size = preview.size;
        // The message that said a key waits for the load is done with.
        let waited = preview.loading.map(|total| {
            crate::tui::i18n::tf(
                preview.lang,
                "msg.loading",
                &[("n", &crate::text::thousands(total))],
            )
        });
        self.message = preview
            .message
            .clone()
            .filter(|m| !matches!(m, super::Message::Info(text) if Some(text) == waited.as_ref()));
        self.pane = preview.pane;
        self.focus = preview.focus;
        self.balance = preview.balance;
        self.undo = preview.undo.clone();
        if let Some(Popup::Help { scroll }) = preview.popup {
            self.popup = Some(Popup::Help { scroll });
        }
        if self.sort != preview.sort {
            self.sort = preview.sort;
            self.resort();
        }
        self.refresh_people();
        let id = preview.selected_person().map(|p| p.id.clone());
        if let Some(i) = id.as_ref().and_then(|id| self.position_of(id)) {
            self.people.select_record(i);
        }
        // The other panes: their search lines, and the same cohort and event.
        self.refresh_cohorts();
        let cohort = preview
            .cohorts
            .current()
            .map(|c| preview.cohort(c).id.clone());
        if let Some(c) = cohort.and_then(|id| {
            (0..self.data.cohorts.len() + self.generations.len()).find(|&i| self.cohort(i).id == id)
        }) {
            self.cohorts.select_record(c);
            self.refresh_members();
        }
        self.refresh_events();
        let event = preview
            .events
            .current()
            .map(|e| preview.data.events[e].id.clone());
        if let Some(e) = event.and_then(|id| self.data.events.iter().position(|e| e.id == id)) {
            self.events.select_record(e);
            self.refresh_invitations();
        }
        let (w, h) = self.size;
        update(&mut self, crate::tui::action::Action::Resize(w, h));
        self
    }
}
