//! The event loop: terminal events become actions, `update` turns them into
//! effects, effects are run against the store, and the screen is redrawn.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::{
    self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::action::{Action, Kind};
use super::keymap::{Context, Key, Keymap};
use super::loading::{Loader, Watch, load, poll_loader_watched};
use super::memory::{IDLE_TIDY, give_back_memory};
use super::state::{Effect, Message, State, run_pending_search, update};
use super::terminal::{Guard, quit_signal};
use crate::store::{Result as StoreResult, Store};

/// Turns a terminal event into an action for the current context.
pub fn translate(ev: Event, state: &State, keymap: &Keymap) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let ctx = state.context();
            let key = Key::from_event(k);
            if let Some(a) = keymap.lookup(ctx, key) {
                return Some(a.clone());
            }
            let typing = matches!(ctx, Context::Search | Context::Form | Context::Picker);
            match k.code {
                KeyCode::Char(c)
                    if typing
                        && !k
                            .modifiers
                            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                {
                    Some(Action::Input(c))
                }
                KeyCode::Backspace if typing => Some(Action::Backspace),
                // Where every printable key is text, the others go unsaid.
                _ if typing => None,
                // Shift, Ctrl, Caps Lock alone (the kitty keyboard protocol
                // reports them) are part of another key, not one.
                KeyCode::Modifier(_)
                | KeyCode::CapsLock
                | KeyCode::NumLock
                | KeyCode::ScrollLock => None,
                _ => Some(Action::Unbound {
                    key: key.name(),
                    help: keymap.key_for(ctx, &Action::Help),
                }),
            }
        }
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Action::ScrollDown),
            MouseEventKind::ScrollUp => Some(Action::ScrollUp),
            _ => None,
        },
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        // Whole, by `pasted` (one action per character).
        Event::Paste(_) => None,
        _ => None,
    }
}

/// A pasted text, typed into whatever is being typed (the search line, a
/// form's field, a picker's query): every character, line breaks as spaces
/// (a field is one line; they are not Enter), other control characters
/// dropped. Nothing when nothing is being typed.
pub fn pasted(text: &str, state: &State) -> Vec<Action> {
    if !matches!(
        state.context(),
        Context::Search | Context::Form | Context::Picker
    ) {
        return Vec::new();
    }
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .map(Action::Input)
        .collect()
}

/// Runs one effect; the result, if any, is an action for `update`.
pub fn run_effect(store: &mut Store, effect: Effect) -> Option<Action> {
    if let Effect::ForgetPerson { id, name } = &effect {
        // Its own transactions, then the file rebuilt (no trace left).
        return match store.forget(id) {
            Ok(_) => Some(Action::Erased {
                id: id.clone(),
                name: name.clone(),
            }),
            Err(e) => Some(Action::Failed(
                format!("not erased: {e}"),
                load(store).ok().map(Box::new),
            )),
        };
    }
    let result: StoreResult<Option<Action>> = (|| {
        let tx = store.transaction()?;
        let saved = match &effect {
            // A new person (no id yet) gets one; anyone else must still be
            // there.
            Effect::SavePerson { person, slot } if person.id.is_empty() => {
                let id = tx.upsert_person(person, false)?;
                Some((Kind::Person, *slot, id))
            }
            Effect::SavePerson { person, .. } => {
                tx.update_person(person)?;
                None
            }
            Effect::RestorePerson(person) => {
                tx.upsert_person(person, false)?;
                None
            }
            Effect::SaveCohort { cohort, slot } => {
                let id = tx.upsert_cohort(cohort)?;
                cohort.id.is_empty().then_some((Kind::Cohort, *slot, id))
            }
            Effect::SaveEvent { event, slot } => {
                let id = tx.upsert_event(event)?;
                event.id.is_empty().then_some((Kind::Event, *slot, id))
            }
            Effect::DeletePerson(id) => {
                tx.delete_person(id)?;
                None
            }
            Effect::DeleteCohort(id) => {
                tx.delete_cohort(id)?;
                None
            }
            Effect::DeleteEvent(id) => {
                tx.delete_event(id)?;
                None
            }
            Effect::ForgetPerson { .. } | Effect::Quit => None,
        };
        tx.commit()?;
        Ok(saved.map(|(kind, slot, id)| Action::Saved { kind, slot, id }))
    })();
    match result {
        Ok(a) => a,
        // What is on screen may now differ from the store: show the error and
        // reload what the store really holds.
        Err(e) => Some(Action::Failed(
            format!("not saved: {e}"),
            load(store).ok().map(Box::new),
        )),
    }
}

/// Applies an action and runs the effects it produces (and their results).
/// Returns how many effects were run against the store.
pub fn dispatch(state: &mut State, store: &mut Store, action: Action) -> u64 {
    dispatch_drawing(state, store, action, &mut |_| {})
}

/// `dispatch`, drawing the state (`draw`) before an effect that takes
/// seconds on a large store (an erasure rewrites the file), so that what
/// is happening is on screen meanwhile.
pub fn dispatch_drawing(
    state: &mut State,
    store: &mut Store,
    action: Action,
    draw: &mut dyn FnMut(&State),
) -> u64 {
    let mut queue = vec![action];
    let mut run = 0;
    while let Some(a) = queue.pop() {
        for effect in update(state, a) {
            if effect == Effect::Quit {
                continue;
            }
            if matches!(effect, Effect::ForgetPerson { .. }) {
                draw(state);
            }
            run += 1;
            if let Some(next) = run_effect(store, effect) {
                queue.push(next);
            }
        }
    }
    run
}

pub fn run(
    mut store: Store,
    mut state: State,
    keymap: Keymap,
    warning: Option<String>,
    mut loader: Option<Loader>,
    path: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let mut watch = Watch::new(&store, path);
    let quit = quit_signal()?;
    // When the terminal is gone (SIGHUP), crossterm's read can spin on
    // end-of-file forever and never return to the loop that would see the
    // flag. Every change is already committed, so after a grace period for
    // the normal quit path, end the process from here.
    let watched = std::sync::Arc::clone(&quit);
    std::thread::spawn(move || {
        while !watched.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(1500));
        super::terminal::restore();
        std::process::exit(0);
    });
    let mut guard = Guard::enter()?;
    let size = guard.terminal.size()?;
    update(&mut state, Action::Resize(size.width, size.height));
    if let Some(w) = warning {
        state.message = Some(Message::Error(w));
    }
    // When the last key was handled, until the pages it freed go back.
    let mut last_key: Option<std::time::Instant> = None;
    loop {
        guard
            .terminal
            .draw(|f| super::ui::draw(f, &state, &keymap))?;
        if quit.load(Ordering::Relaxed) {
            dispatch(&mut state, &mut store, Action::Terminate);
        }
        if state.quit {
            break;
        }
        poll_loader_watched(&mut loader, &mut state, Some((&mut watch, &store)));
        watch.tick(&store, &mut state, &mut loader);
        // The frame above shows what was typed; now the ranking, which
        // gives way as soon as another key is waiting.
        if state.search_pending
            && run_pending_search(&mut state, &mut || {
                event::poll(Duration::ZERO).unwrap_or(false)
            })
        {
            continue;
        }
        // Then the selected person's overlaps, unless a key is waiting.
        if !event::poll(Duration::ZERO)? && state.count_overlaps() {
            continue;
        }
        let wait = if loader.is_some() { 20 } else { 200 };
        if !event::poll(Duration::from_millis(wait))? {
            if last_key.is_some_and(|t| t.elapsed() >= IDLE_TIDY) {
                give_back_memory();
                last_key = None;
            }
            continue;
        }
        last_key = Some(std::time::Instant::now());
        // Handle everything that queued up before drawing again, so fast
        // typing never waits for a frame per key.
        loop {
            let ev = event::read()?;
            if let Event::Paste(text) = &ev {
                for action in pasted(text, &state) {
                    watch.writes += dispatch(&mut state, &mut store, action);
                }
            } else if let Some(action) = translate(ev, &state, &keymap) {
                let terminal = &mut guard.terminal;
                watch.writes += dispatch_drawing(&mut state, &mut store, action, &mut |s| {
                    let _ = terminal.draw(|f| super::ui::draw(f, s, &keymap));
                });
            }
            if state.quit || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    drop(guard);
    Ok(())
}
