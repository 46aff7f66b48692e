//! Loading the roster: a small one before the first frame; a large one
//! shows its first page at once and loads in a thread (on two
//! connections), and the loaded state takes over the screen. `Watch` notices
//! another process's writes and loads again.

use std::time::Duration;

use super::memory::{give_back_memory, no_huge_pages, purge_freed_memory};
use super::state::{Data, Message, State};
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

pub fn load(store: &Store) -> StoreResult<Data> {
    Ok(Data {
        people: store.people()?,
        cohorts: store.cohorts()?,
        events: store.events()?,
    })
}
