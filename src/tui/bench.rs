//! `alumni bench-keys`: the real event loop's work (keymap, `update`, effects,
//! drawing) driven headless on an off-screen terminal, timed per keystroke.
//! What the coordinator feels is the time from a key to the new screen; this
//! measures exactly that, minus the terminal's own output.

use std::path::Path;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::app::{dispatch, translate};
use super::keymap::Keymap;
use super::loading::{poll_loader, start};
use super::state::{State, run_pending_search};
use crate::store::Store;

/// What one run measured.
pub struct Measured {
    pub people: usize,
    /// Open the store and draw the first frame with rows (for a large
    /// roster its first page, while the rest loads).
    pub start: Duration,
    /// Until everyone is loaded and searchable, drawn.
    pub ready: Duration,
    /// Resident memory once everyone is loaded, after the keys, and its
    /// peak, in bytes.
    pub rss: Option<u64>,
    pub after_rss: Option<u64>,
    pub peak_rss: Option<u64>,
    /// After the keys, once the pages they freed went back (as the app
    /// does after a second without a key), and how long giving back took.
    pub idle_rss: Option<u64>,
    pub tidy: Duration,
    /// Per keystroke, by the length of the query after it (1, 2, 3+ chars):
    /// until the frame that shows the new list.
    pub short: Vec<Duration>,
    pub long: Vec<Duration>,
    /// The same keystrokes until the detail of the list's first person is
    /// complete too (its overlaps, counted after the list is drawn from
    /// `defer_search_above` people on; below, drawn with the list, and the
    /// two times are the same).
    pub short_settled: Vec<Duration>,
    pub long_settled: Vec<Duration>,
    pub backspace: Vec<Duration>,
    pub arrows: Vec<Duration>,
    /// Of every keystroke's time, the part spent drawing the frame.
    pub drawing: Vec<Duration>,
    /// Key to the frame that shows it on the search line (before the
    /// ranking, when it is deferred), every key.
    pub echo: Vec<Duration>,
    /// The longest stretch of deferred ranking between two looks for a
    /// waiting key: how long a key typed meanwhile waits at most.
    pub chunks: Vec<Duration>,
    /// Bytes of the search index.
    pub index_bytes: usize,
    /// Rows the last typed query matched.
    pub last_rows: usize,
}

fn key(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Opens `db` and types `keys` into the People search `repeat` times.
pub fn run(
    db: &Path,
    keys: &str,
    repeat: usize,
    size: (u16, u16),
    today: chrono::NaiveDate,
) -> anyhow::Result<Measured> {
    let t0 = Instant::now();
    // As `alumni` starts: the first page at once for a large roster (and
    // search texts an older alumni made renewed on the loading thread).
    let mut store = Store::open_existing_deferred(db)?;
    let (mut state, mut loader) = start(
        &mut store,
        Some(db),
        today,
        super::i18n::Lang::En,
        size.1 as usize,
    )?;
    let keymap = Keymap::defaults();
    let mut term = Terminal::new(TestBackend::new(size.0, size.1))?;
    dispatch(
        &mut state,
        &mut store,
        super::action::Action::Resize(size.0, size.1),
    );
    term.draw(|f| super::ui::draw(f, &state, &keymap))?;
    let start = t0.elapsed();
    // Then everyone, as the event loop would take it over.
    while loader.is_some() {
        std::thread::sleep(Duration::from_millis(1));
        poll_loader(&mut loader, &mut state);
    }
    anyhow::ensure!(state.loading.is_none(), "the roster did not load");
    term.draw(|f| super::ui::draw(f, &state, &keymap))?;
    let ready = t0.elapsed();
    let rss = memory("VmRSS:");
    let mut m = Measured {
        people: state.data.people.len(),
        start,
        ready,
        rss,
        after_rss: None,
        peak_rss: None,
        idle_rss: None,
        tidy: Duration::ZERO,
        short: Vec::new(),
        long: Vec::new(),
        short_settled: Vec::new(),
        long_settled: Vec::new(),
        backspace: Vec::new(),
        arrows: Vec::new(),
        drawing: Vec::new(),
        echo: Vec::new(),
        chunks: Vec::new(),
        index_bytes: state.index.heap_bytes(),
        last_rows: 0,
    };
    let mut drawing = Vec::new();
    let mut echo = Vec::new();
    let mut chunks = Vec::new();
    // A key's time until its list is on screen, and until the screen is
    // complete (the detail's overlaps counted).
    let mut press = |state: &mut State, ev: Event| -> anyhow::Result<(Duration, Duration)> {
        let t = Instant::now();
        if let Some(a) = translate(ev, state, &keymap) {
            dispatch(state, &mut store, a);
        }
        let updated = t.elapsed();
        term.draw(|f| super::ui::draw(f, state, &keymap))?;
        drawing.push(t.elapsed() - updated);
        // As the event loop does: the frame above echoes the key; a large
        // roster's ranking follows, in chunks, and then the list is drawn.
        echo.push(t.elapsed());
        if state.search_pending {
            let mut chunk = Instant::now();
            let mut longest = Duration::ZERO;
            let done = run_pending_search(state, &mut || {
                longest = longest.max(chunk.elapsed());
                chunk = Instant::now();
                false
            });
            chunks.push(longest.max(chunk.elapsed()));
            anyhow::ensure!(done, "the ranking was not cancelled");
            term.draw(|f| super::ui::draw(f, state, &keymap))?;
        }
        let listed = t.elapsed();
        if state.count_overlaps() {
            term.draw(|f| super::ui::draw(f, state, &keymap))?;
        }
        Ok((listed, t.elapsed()))
    };
    for _ in 0..repeat {
        press(&mut state, key(KeyCode::Char('/')))?;
        for (n, c) in keys.chars().enumerate() {
            let (listed, settled) = press(&mut state, key(KeyCode::Char(c)))?;
            if n < 2 {
                m.short.push(listed);
                m.short_settled.push(settled);
            } else {
                m.long.push(listed);
                m.long_settled.push(settled);
            }
        }
        m.last_rows = state.people.rows.len();
        // Enter keeps the result; arrows move through it.
        press(&mut state, key(KeyCode::Enter))?;
        for _ in 0..5 {
            m.arrows.push(press(&mut state, key(KeyCode::Down))?.1);
        }
        // Back into the search line, and erase the query key by key.
        press(&mut state, key(KeyCode::Char('/')))?;
        for _ in keys.chars() {
            m.backspace
                .push(press(&mut state, key(KeyCode::Backspace))?.1);
        }
        press(&mut state, key(KeyCode::Esc))?;
    }
    m.drawing = drawing;
    m.echo = echo;
    m.chunks = chunks;
    m.peak_rss = memory("VmHWM:");
    m.after_rss = memory("VmRSS:");
    // As the app loop does once no key came for a while.
    let t = Instant::now();
    super::memory::give_back_memory();
    m.tidy = t.elapsed();
    m.idle_rss = memory("VmRSS:");
    Ok(m)
}

/// A line of /proc/self/status in bytes (Linux only).
fn memory(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The `q`-quantile of `d` (nearest rank).
pub fn quantile(d: &[Duration], q: f64) -> Duration {
    if d.is_empty() {
        return Duration::ZERO;
    }
    let mut v = d.to_vec();
    v.sort_unstable();
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// The report `alumni bench-keys` prints.
pub fn report(m: &Measured, keys: &str) -> String {
    let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
    let mib =
        |b: Option<u64>| b.map_or("n/a".into(), |b| format!("{:.1} MiB", b as f64 / 1048576.0));
    let mut out = format!(
        "people: {}\nstart -> first frame with rows: {}\nstart -> everyone loaded and searchable: {}\n\
         resident memory when loaded: {}, after the keys: {}, peak: {}\n\
         resident memory after the keys, idle (freed pages given back in {}): {}\n",
        crate::text::thousands(m.people),
        ms(m.start),
        ms(m.ready),
        mib(m.rss),
        mib(m.after_rss),
        mib(m.peak_rss),
        ms(m.tidy),
        mib(m.idle_rss)
    );
    out += &format!(
        "search index: {:.1} MiB\n",
        m.index_bytes as f64 / 1048576.0
    );
    for (what, d) in [
        (
            "keystroke -> new list on screen, query of 1-2 chars",
            &m.short,
        ),
        (
            "keystroke -> new list on screen, query of 3+ chars",
            &m.long,
        ),
        (
            "keystroke -> list and detail complete, 1-2 chars",
            &m.short_settled,
        ),
        (
            "keystroke -> list and detail complete, 3+ chars",
            &m.long_settled,
        ),
        ("backspace (until complete)", &m.backspace),
        ("arrow key in the result (until complete)", &m.arrows),
        ("of which drawing the frame (every key)", &m.drawing),
        ("key -> search line redrawn (every key)", &m.echo),
        (
            "longest ranking step between looks at the keyboard",
            &m.chunks,
        ),
    ] {
        if d.is_empty() {
            continue;
        }
        out += &format!(
            "{what}: p50 {}, p99 {}, max {} ({} samples)\n",
            ms(quantile(d, 0.5)),
            ms(quantile(d, 0.99)),
            ms(quantile(d, 1.0)),
            d.len()
        );
    }
    out += &format!(
        "rows matching {:?}: {}\n",
        crate::text::sanitize(keys),
        crate::text::thousands(m.last_rows)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let d: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(quantile(&d, 0.5), Duration::from_millis(50));
        assert_eq!(quantile(&d, 0.99), Duration::from_millis(99));
        assert_eq!(quantile(&d, 1.0), Duration::from_millis(100));
        assert_eq!(quantile(&[], 0.5), Duration::ZERO);
    }
}
