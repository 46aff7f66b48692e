//! Everything that can happen to the UI, as data. The variants with a
//! snake_case name are what key bindings map to (assets/keymap.toml); the
//! rest come from the terminal or from effects the app ran.

use serde::{Deserialize, Serialize};

use crate::tui::state::Data;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    NextPane,
    PrevPane,
    PanePeople,
    PaneCohorts,
    PaneEvents,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Open the search line.
    Search,
    CycleSort,
    /// Move focus into the detail side (members, invitations).
    FocusDetail,
    /// Leave the detail side, or clear the search.
    Back,
    Add,
    Edit,
    Delete,
    /// People: erase the person on request (`alumni forget`), after a
    /// question; no undo.
    Forget,
    Undo,
    Invite,
    SetInvited,
    SetAccepted,
    SetDeclined,
    SetMaybe,
    SetAttended,
    SetNoShow,
    Uninvite,
    AddMembers,
    RemoveMember,
    Confirm,
    Cancel,
    NextField,
    PrevField,
    Save,
    Toggle,
    AddStint,
    RemoveStint,
    /// Forms: empty the focused field, to type a new value.
    ClearField,
    /// Events: show the balance report instead of the invitations.
    Balance,
    /// Events: whom to invite next.
    Suggest,
    /// Invitations: came to the second part too (二次会).
    AttendSecond,
    /// The search line: keep the text that `/` showed selected and type
    /// after it (instead of replacing it).
    KeepSearch,
    /// Forms: move the cursor in a text field; in a choice field (consent,
    /// closeness), choose the previous or next value.
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    /// Forms: delete the character under the cursor.
    DeleteChar,
    /// Forms: a line break in the notes.
    NewLine,

    // Not bindable: text input, terminal events, effect results.
    #[serde(skip)]
    Input(char),
    #[serde(skip)]
    Backspace,
    #[serde(skip)]
    Resize(u16, u16),
    /// A key bound to nothing where it was pressed (its name, and the key
    /// for help there, if any): said on the status line.
    #[serde(skip)]
    Unbound {
        key: String,
        help: Option<String>,
    },
    /// SIGTERM or SIGHUP: quit whatever is open (the terminal may be gone;
    /// `Quit`, a key, asks first on a changed form).
    #[serde(skip)]
    Terminate,
    #[serde(skip)]
    Click(u16, u16),
    #[serde(skip)]
    ScrollUp,
    #[serde(skip)]
    ScrollDown,
    /// A new person was stored and got this id.
    #[serde(skip)]
    Saved {
        kind: Kind,
        slot: usize,
        id: String,
    },
    /// A person was erased on request (`Effect::ForgetPerson`).
    #[serde(skip)]
    Erased {
        id: String,
        name: String,
    },
    /// Something failed; the store is reloaded into `Data`.
    #[serde(skip)]
    Failed(String, Option<Box<Data>>),
}

/// Which kind of record an action or effect is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Cohort,
    Event,
}
