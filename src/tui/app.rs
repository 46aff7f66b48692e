//! The event loop: terminal events become actions, `update` turns them into
//! effects, effects are run against the store, and the screen is redrawn.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::{
    self, Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};

use super::action::{Action, Kind};
use super::keymap::{Context, Key, Keymap};
use super::state::{Data, Effect, Message, State, run_pending_search, update};
use super::terminal::{Guard, quit_signal};
use crate::store::{Renew, Result as StoreResult, Store};

/// Rosters up to this size load before the first frame; larger ones show
/// their first page at once and load the rest in the background.
pub const LOAD_IN_BACKGROUND_ABOVE: usize = 5_000;

/// The whole state, built from `store` in one read transaction. The search
/// index comes from the search texts the store keeps, when they are all
/// there, and the list's orders from its indexes.
pub fn load_state(
    store: &Store,
    today: chrono::NaiveDate,
    lang: super::i18n::Lang,
) -> anyhow::Result<State> {
    let (data, texts, orders) =
        store.read(|store| Ok((load(store)?, store.search_index()?, store.orders()?)))?;
    Ok(state_from(data, texts, Some(orders), today, lang))
}

/// As `load_state`, for a large roster: the people are read on a
/// connection to `path` while a second one reads the search texts and the
/// orders (at a million people, 3.8 s and 2.1 s). When another process
/// wrote meanwhile, the two may have read different moments: the search
/// index and the orders are then made from the people instead.
fn load_state_in_parallel(
    path: &std::path::Path,
    today: chrono::NaiveDate,
    lang: super::i18n::Lang,
) -> anyhow::Result<(State, Store, i64)> {
    // The first open makes stale search texts again (`start` left them).
    let open = || -> anyhow::Result<Store> {
        let store = Store::open_existing(path)?;
        // One pass over every table: a page cache would only fill.
        store.small_cache()?;
        Ok(store)
    };
    let store = open()?;
    let before = store.data_version()?;
    let (data, side) = std::thread::scope(|scope| {
        let side = scope.spawn(|| {
            let other = open()?;
            Ok::<_, anyhow::Error>(
                other.read(|other| Ok((other.search_index()?, other.orders()?)))?,
            )
        });
        let data = store.read(load);
        let side = side
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the search texts failed")));
        (data, side)
    });
    let data = data?;
    let (texts, orders) = side?;
    let state = match store.data_version()? == before {
        true => state_from(data, texts, Some(orders), today, lang),
        false => state_from(data, None, None, today, lang),
    };
    Ok((state, store, before))
}

/// What the background load sends: the whole state, and a line to the
/// loading thread, which tells whether anyone else wrote since.
pub struct Loaded {
    state: State,
    since: Since,
}

/// The loading thread keeps the connection it read on, and its
/// `data_version` as the load read the store (after the search texts it
/// renewed itself, before the people), until it is asked once or this is
/// dropped; then the connection goes with the thread. (Freed on the main
/// thread after the loading thread had ended, it left 16 MiB more resident
/// at a million people, also once idle.)
struct Since {
    ask: std::sync::mpsc::Sender<()>,
    answer: std::sync::mpsc::Receiver<bool>,
}

impl Since {
    /// Whether no other connection (another process, or the app's own)
    /// committed since: the load then holds everything committed so far.
    fn quiet(&self) -> bool {
        self.ask.send(()).is_ok() && self.answer.recv().unwrap_or(false)
    }
}

/// The state of `data`, with the search index the store kept (when it
/// holds `data`'s people in order) and the store's orders, if they fit.
fn state_from(
    data: Data,
    texts: Option<(crate::search::Index, crate::store::Ids)>,
    orders: Option<crate::store::Orders>,
    today: chrono::NaiveDate,
    lang: super::i18n::Lang,
) -> State {
    let index = match texts {
        Some((index, ids))
            if ids.len() == data.people.len()
                && ids.iter().zip(&data.people).all(|(a, p)| a == p.id) =>
        {
            index
        }
        _ => crate::search::Index::build(&data.people),
    };
    State::with_orders(
        data,
        index,
        orders,
        today,
        lang,
        crate::analytics::Settings::default(),
    )
}

/// The state to start with: everything for a small roster; for a large one
/// the first page, with the rest loading on another connection.
pub fn start(
    store: &mut Store,
    path: Option<&std::path::Path>,
    today: chrono::NaiveDate,
    lang: super::i18n::Lang,
    page: usize,
) -> anyhow::Result<(State, Option<Loader>)> {
    no_huge_pages();
    purge_freed_memory(true);
    // The address book writes one person at a time, and reads everyone
    // once: a page cache would only fill (counting a million people
    // alone would leave 16 MiB of index pages in it).
    store.small_cache()?;
    let (first, total) = store.first_page(page)?;
    // Search texts an older alumni made (a store opened with
    // `open_deferred`): made again before the load, here for a small
    // roster, on the loading thread for a large one (at a million people,
    // about 20 s once, with the first page on screen meanwhile).
    let background = path.filter(|_| total > LOAD_IN_BACKGROUND_ABOVE);
    let stale = store
        .renew_search_texts(|_| match background {
            Some(_) => Renew::Later,
            None => Renew::Now,
        })
        .unwrap_or(0);
    let Some(path) = background else {
        let state = load_state(store, today, lang)?;
        purge_freed_memory(false);
        return Ok((state, None));
    };
    let rx = load_in_background(path, today, lang);
    let mut preview = State::preview(first, total, today, lang);
    preview.renewing = stale > 0;
    Ok((preview, Some(rx)))
}

/// Builds the whole state on another connection, on a thread of its own.
fn load_in_background(
    path: &std::path::Path,
    today: chrono::NaiveDate,
    lang: super::i18n::Lang,
) -> Loader {
    let (tx, rx) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let (state, store, version) = match load_state_in_parallel(&path, today, lang) {
            Ok(loaded) => loaded,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let (ask, asked) = std::sync::mpsc::channel();
        let (tell, answer) = std::sync::mpsc::channel();
        let since = Since { ask, answer };
        let _ = tx.send(Ok(Loaded { state, since }));
        if asked.recv().is_ok() {
            let _ = tell.send(store.data_version().ok() == Some(version));
        }
    });
    rx
}

/// Notices when another process changed the store (an import while the
/// address book is open) and shows the new data: at once for a small
/// roster, after a background load for a large one. Never while a form or
/// a confirmation is open; what this process wrote meanwhile is never lost
/// (a load that started before one of its own writes is done again). What
/// a background load itself wrote (search texts renewed after an upgrade)
/// is not loaded again (`took_over`).
pub struct Watch {
    path: Option<std::path::PathBuf>,
    version: i64,
    checked: std::time::Instant,
    /// Effects run so far by this process, and as many when the pending
    /// background load started.
    pub writes: u64,
    reload_from: u64,
}

/// How often the store is asked whether someone else changed it.
const WATCH_EVERY: Duration = Duration::from_millis(1000);

impl Watch {
    pub fn new(store: &Store, path: Option<&std::path::Path>) -> Watch {
        Watch {
            path: path.map(std::path::Path::to_path_buf),
            version: store.data_version().unwrap_or(0),
            checked: std::time::Instant::now(),
            writes: 0,
            reload_from: 0,
        }
    }

    /// Checks now and then; reloads when the store changed.
    pub fn tick(&mut self, store: &Store, state: &mut State, loader: &mut Option<Loader>) {
        if self.checked.elapsed() < WATCH_EVERY {
            return;
        }
        self.checked = std::time::Instant::now();
        self.check(store, state, loader);
    }

    /// Reloads when someone else changed the store since the last look (or
    /// since a background load read it): at once for a small roster, else
    /// by starting a background load into `loader`.
    pub fn check(&mut self, store: &Store, state: &mut State, loader: &mut Option<Loader>) {
        if self.path.is_none() {
            return;
        }
        let busy = matches!(
            state.popup,
            Some(super::state::Popup::Form(_) | super::state::Popup::Confirm { .. })
        );
        if loader.is_some() || busy || state.loading.is_some() {
            return;
        }
        let Ok(version) = store.data_version() else {
            return;
        };
        if version == self.version {
            return;
        }
        self.version = version;
        let (today, lang) = (state.today, state.lang);
        if state.data.people.len() <= LOAD_IN_BACKGROUND_ABOVE {
            if let Ok(full) = load_state(store, today, lang) {
                *state = full.take_over(state);
                state.message = Some(Message::Info(
                    super::i18n::t(lang, "msg.reloaded").to_string(),
                ));
            }
        } else if let Some(path) = &self.path {
            self.reload_from = self.writes;
            *loader = Some(load_in_background(path, today, lang));
        }
    }

    /// Whether a background load that just arrived predates a write of
    /// this process (then it is dropped and loaded again).
    pub fn stale(&mut self) -> bool {
        let stale = self.writes != self.reload_from;
        self.reload_from = self.writes;
        if stale {
            self.version = i64::MIN; // load again at the next look
        }
        stale
    }

    /// A background load was taken over: when nobody else has committed
    /// since it read the store, the store as it is now is what the app
    /// shows, and is not loaded again. So the loading thread's own write
    /// (the search texts renewed after an upgrade) is no reason for a
    /// second load of everyone; any other commit, before the look at the
    /// loader's connection or after it, still is.
    fn took_over(&mut self, store: &Store, since: &Since) {
        // Ours first: a commit after this read changes it; one before it
        // shows on the loader's connection, looked at after.
        let Ok(version) = store.data_version() else {
            return;
        };
        if since.quiet() {
            self.version = version;
        }
    }
}

/// Where the background load sends the whole state.
pub type Loader = std::sync::mpsc::Receiver<anyhow::Result<Loaded>>;

/// Takes the loaded state over, if it has arrived.
pub fn poll_loader(loader: &mut Option<Loader>, state: &mut State) {
    poll_loader_watched(loader, state, None);
}

/// As `poll_loader`, for the app's loop with its `Watch` on `store`: an
/// arrival that predates a write of this process is not taken over (the
/// watch loads again), and one taken over tells the watch what it holds.
pub fn poll_loader_watched(
    loader: &mut Option<Loader>,
    state: &mut State,
    mut watch: Option<(&mut Watch, &Store)>,
) {
    let Some(rx) = loader else { return };
    let arrived = match rx.try_recv() {
        Ok(r) => r,
        Err(std::sync::mpsc::TryRecvError::Empty) => return,
        Err(std::sync::mpsc::TryRecvError::Disconnected) => {
            Err(anyhow::anyhow!("the loading thread stopped"))
        }
    };
    *loader = None;
    if state.loading.is_none() && watch.as_mut().is_some_and(|(w, _)| w.stale()) {
        return;
    }
    match arrived {
        Ok(Loaded { state: full, since }) => {
            if let Some((watch, store)) = watch {
                watch.took_over(store, &since);
            }
            *state = full.take_over(state);
            give_back_memory();
            purge_freed_memory(false);
        }
        Err(e) => {
            purge_freed_memory(false);
            state.message = Some(Message::Error(format!(
                "could not load everyone: {e:#}; the first page stays read-only"
            )))
        }
    }
}

unsafe extern "C" {
    /// mimalloc (linked by the `mimalloc` crate, the binary's allocator).
    fn mi_collect(force: bool);
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (mimalloc.h, v3;
/// libmimalloc-sys names 14 and 16 around it).
const MI_OPTION_PURGE_DELAY: i32 = 15;

/// How long mimalloc keeps freed pages before giving them back to the
/// system, while loading (at once: loading frees as much as it keeps) and
/// afterwards (a key frees and refills the previous results; at once, the
/// search line at 1M people takes p99 17-20 ms against 11-14 ms).
const PURGE_DELAY_LOADING_MS: std::ffi::c_long = 0;
const PURGE_DELAY_MS: std::ffi::c_long = 500;

/// The address book holds a large roster for hours: what loading it freed
/// goes back to the system at once (100,000 people: 118 -> 100 MiB
/// resident; 1M: 1.06 -> 0.8 GiB), later frees half a second after.
fn purge_freed_memory(loading: bool) {
    let delay = if loading {
        PURGE_DELAY_LOADING_MS
    } else {
        PURGE_DELAY_MS
    };
    // SAFETY: mi_option_set takes no pointers and may be called at any time.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, delay) }
}

/// After this long without a key, what the searches and views freed goes
/// back to the system (a search at a million people frees tens of MiB of
/// hit lists; mimalloc keeps freed pages until asked).
const IDLE_TIDY: Duration = Duration::from_secs(1);

/// No transparent huge pages for the address book, which stays open all
/// day. mimalloc asks for them on its arenas, and a 2 MiB page is resident
/// as a whole once one byte of it is touched: at 100,000 people the address
/// book held 81 MiB instead of 67. The kernel checks the flag at every page
/// fault, so it holds for memory mapped before it was set too. (Commands
/// that run and exit keep them: fewer page faults.)
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes no pointers; it fails harmlessly on
    // kernels without it.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Loading a large roster frees as much as it keeps (rows read, the
/// preview, the loader thread's heap): hand those pages back to the system
/// rather than keep them resident for the whole session.
pub fn give_back_memory() {
    // SAFETY: mi_collect takes no pointers and may be called at any time;
    // where mimalloc is not the global allocator it only tidies its own
    // (empty) heaps.
    unsafe { mi_collect(true) }
}

pub fn load(store: &Store) -> StoreResult<Data> {
    Ok(Data {
        people: store.people()?,
        cohorts: store.cohorts()?,
        events: store.events()?,
    })
}

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
