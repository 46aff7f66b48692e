//! The interactive address book. Elm-style: `action` -> `state::update` ->
//! effects run by `app` -> `ui::draw` of the state.

pub mod action;
pub mod app;
pub mod bench;
pub mod config;
pub mod i18n;
pub mod keymap;
pub mod loading;
pub mod memory;
pub mod state;
pub mod terminal;
pub mod ui;
