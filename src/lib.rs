//! `alumni`: a terminal address book for a company's alumni network.
//!
//! The library holds everything but argument parsing's edge: the domain,
//! the SQLite store, import/export, search. `tests/` uses it directly.

pub mod analytics;
pub mod cli;
pub mod commands;
pub mod domain;
pub mod export;
pub mod ical;
pub mod import;
pub mod search;
pub mod store;
pub mod synth;
pub mod text;
pub mod trace;
pub mod tui;
pub mod vcard;

// The address book asks mimalloc to give freed memory back (`tui::app`):
// linked here, not only by the binary that makes it the allocator, so that
// tests can run the app's start-up too (there it tidies mimalloc's own,
// empty heaps).
extern crate mimalloc;
