//! End-to-end tests of the interactive address book: the real `alumni`
//! binary runs in a pseudo-terminal, keys are typed into it, and what it
//! draws is read back through a vt100 parser. Each test has its own
//! temporary HOME / XDG directories, so nothing can reach the user's store or
//! config.
//!
//! Every wait is "until the screen shows X, or 10 s": no timing assertions.

#![cfg(unix)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use serde_json::Value;
use tempfile::TempDir;

const BIN: &str = env!("CARGO_BIN_EXE_alumni");
/// How long any one expected thing may take to show up.
const TIMEOUT: Duration = Duration::from_secs(10);

const ENTER_ALT: &[u8] = b"\x1b[?1049h";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const MOUSE_OFF: &[u8] = b"\x1b[?1000l";

/// What the reader thread has seen so far.
struct Seen {
    parser: vt100::Parser,
    raw: Vec<u8>,
    eof: bool,
}

/// The binary running in a pseudo-terminal.
struct Tui {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    writer: Option<Box<dyn Write + Send>>,
    seen: Arc<Mutex<Seen>>,
    reader: Option<JoinHandle<()>>,
    /// The terminal's line settings before the program started.
    initial_lflags: String,
}

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a size above zero")
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// The local-mode flags (ICANON, ECHO, ...) of the terminal, as text: raw
/// mode clears some of them and leaving it must put them back.
fn lflags(master: &dyn MasterPty) -> String {
    let t = master.get_termios().expect("tcgetattr on the pty");
    format!("{:?}", t.local_flags)
}

/// Rows of the screen joined by newlines, as `contents()` does, but for a
/// column range only (the list on the left, the detail on the right).
fn columns(screen: &vt100::Screen, start: u16, width: u16) -> String {
    screen.rows(start, width).collect::<Vec<_>>().join("\n")
}

/// The screen's text with every run of whitespace (line ends included) made
/// one space, for messages that may wrap.
fn flat(screen: &vt100::Screen) -> String {
    screen
        .contents()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An environment for the binary inside `home`: nothing from the user's.
fn env_pairs(home: &Path, lang: &str) -> Vec<(&'static str, String)> {
    vec![
        ("PATH", std::env::var("PATH").unwrap_or_default()),
        ("TERM", "xterm-256color".into()),
        ("LANG", lang.into()),
        ("HOME", home.display().to_string()),
        ("XDG_CONFIG_HOME", home.join("config").display().to_string()),
        ("XDG_DATA_HOME", home.join("data").display().to_string()),
        // A store held by another writer is reported after half a second.
        ("ALUMNI_BUSY_TIMEOUT_MS", "500".into()),
    ]
}

impl Tui {
    fn start(home: &Path, args: &[&str], lang: &str, (cols, rows): (u16, u16)) -> Tui {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open a pty");
        let initial_lflags = lflags(&*pair.master);
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(args);
        // A clean environment: no LC_ALL / LC_MESSAGES / ALUMNI_DB leaking in.
        cmd.env_clear();
        for (k, v) in env_pairs(home, lang) {
            cmd.env(k, v);
        }
        cmd.cwd(home);
        let child = pair.slave.spawn_command(cmd).expect("spawn alumni");
        // Only the child may hold the slave open, so that reading ends when
        // it exits.
        drop(pair.slave);
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(nz(rows), nz(cols), 0),
            raw: Vec::new(),
            eof: false,
        }));
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let sink = Arc::clone(&seen);
        let reader = thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut s = sink.lock().unwrap_or_else(|e| e.into_inner());
                        s.parser.process(&buf[..n]);
                        s.raw.extend_from_slice(&buf[..n]);
                    }
                }
            }
            sink.lock().unwrap_or_else(|e| e.into_inner()).eof = true;
        });
        let writer = pair.master.take_writer().expect("pty writer");
        Tui {
            child,
            master: pair.master,
            writer: Some(writer),
            seen,
            reader: Some(reader),
            initial_lflags,
        }
    }

    fn demo(home: &Path) -> Tui {
        Tui::start(home, &["--demo"], "C.UTF-8", (80, 24))
    }

    fn screen_text(&self) -> String {
        self.seen.lock().unwrap().parser.screen().contents()
    }

    /// Waits until `ok` holds for the screen; fails with `what` and the
    /// screen when it does not within the timeout (or the program is gone).
    fn wait_until(&self, what: &str, ok: impl Fn(&vt100::Screen) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (contents, eof) = {
                let s = self.seen.lock().unwrap();
                let screen = s.parser.screen();
                if ok(screen) {
                    return screen.contents();
                }
                (screen.contents(), s.eof)
            };
            if eof || start.elapsed() > TIMEOUT {
                let why = if eof {
                    "the program ended"
                } else {
                    "timed out"
                };
                let rule = "-".repeat(80);
                panic!(
                    "waiting for {what}: {why} after {:?}; the screen:\n{rule}\n{contents}\n{rule}",
                    start.elapsed(),
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the screen shows `text`; returns the screen.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(&format!("{text:?} on screen"), |s| {
            s.contents().contains(text)
        })
    }

    /// Types `keys` (bytes as a terminal sends them).
    fn send(&mut self, keys: &str) {
        let w = self.writer.as_mut().expect("writer open");
        w.write_all(keys.as_bytes()).expect("write to the pty");
        w.flush().expect("flush the pty");
    }

    fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    /// Waits for the program to exit and for all its output to be read.
    fn wait_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(st) = self.child.try_wait().expect("try_wait") {
                break st;
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "the program did not exit within {TIMEOUT:?}; the screen:\n{}",
                    self.screen_text()
                );
            }
            thread::sleep(Duration::from_millis(10));
        };
        // The reader sees the end of output once the slave side is closed.
        while !self.seen.lock().unwrap().eof {
            if start.elapsed() > TIMEOUT * 2 {
                panic!("the output never ended after the program exited");
            }
            thread::sleep(Duration::from_millis(10));
        }
        if let Some(r) = self.reader.take() {
            r.join().expect("reader thread");
        }
        status
    }

    /// Checks that the program gave the terminal back: after the last switch
    /// to the alternate screen come the switch back, the cursor shown again
    /// and mouse reporting off; the line settings are as before it started.
    fn assert_restored(&self) {
        let s = self.seen.lock().unwrap();
        let raw = &s.raw;
        let entered = rfind(raw, ENTER_ALT).unwrap_or_else(|| {
            panic!(
                "the program never entered the alternate screen; output: {:?}",
                String::from_utf8_lossy(raw)
            )
        });
        let tail = &raw[entered..];
        let tail_text = String::from_utf8_lossy(&tail[tail.len().saturating_sub(400)..]);
        for (seq, name) in [
            (LEAVE_ALT, "leave the alternate screen"),
            (SHOW_CURSOR, "show the cursor"),
            (MOUSE_OFF, "turn mouse reporting off"),
        ] {
            assert!(
                find(tail, seq).is_some(),
                "after the last \\e[?1049h the output does not {name} ({:?}); its end: {tail_text:?}",
                String::from_utf8_lossy(seq)
            );
        }
        let screen = s.parser.screen();
        assert!(
            !screen.alternate_screen(),
            "the terminal is left in the alternate screen"
        );
        assert!(!screen.hide_cursor(), "the cursor is left hidden");
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting is left on"
        );
        drop(s);
        assert_eq!(
            lflags(&*self.master),
            self.initial_lflags,
            "the terminal's line settings (raw mode) were not restored"
        );
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        // A failed test must not leave the program running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Runs a command of the CLI (not the TUI) against `db`, expecting success.
fn cli(home: &Path, db: &Path, args: &[&str]) -> String {
    let mut cmd = std::process::Command::new(BIN);
    cmd.env_clear();
    for (k, v) in env_pairs(home, "C.UTF-8") {
        cmd.env(k, v);
    }
    let out = cmd
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(home)
        .output()
        .expect("run alumni");
    assert!(
        out.status.success(),
        "alumni {args:?} failed: {}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn stats(home: &Path, db: &Path) -> Value {
    serde_json::from_str(&cli(home, db, &["stats", "--json"])).expect("stats JSON")
}

/// The embedded demo roster, as `--demo` loads it.
const DEMO_JSON: &str = include_str!("../assets/demo.json");

/// How many people the demo roster holds.
fn demo_people() -> usize {
    let demo: Value = serde_json::from_str(DEMO_JSON).expect("the demo roster parses");
    demo["people"].as_array().expect("a people array").len()
}

/// The People pane's status with the whole demo roster shown.
fn everyone() -> String {
    let n = demo_people();
    format!("{n} of {n} people")
}

/// A store with two people, made by the CLI's importer.
fn small_store(home: &Path) -> PathBuf {
    let csv = home.join("people.csv");
    std::fs::write(
        &csv,
        "name,reading,nickname,email,department,role,joined,left\n\
         佐藤 美咲,さとう みさき,ミサ,misaki@example.jp,Web,Engineer,2001-04-01,2004-03-31\n\
         Liam Smith,,Li,liam@example.com,Sales,Analyst,2005-04-01,\n",
    )
    .unwrap();
    let db = home.join("alumni.db");
    cli(home, &db, &["import", csv.to_str().unwrap()]);
    db
}

/// The address book on `small_store`'s store, its two people on screen.
fn open_small_store(home: &Path, db: &Path, size: (u16, u16)) -> Tui {
    let t = Tui::start(home, &["--db", db.to_str().unwrap()], "C.UTF-8", size);
    t.wait_for("2 of 2 people");
    t
}

#[test]
fn demo_search_as_you_type_then_quit_restores_the_terminal() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    // While it runs, the terminal is in raw mode (no line editing).
    assert_ne!(
        lflags(&*t.master),
        t.initial_lflags,
        "the TUI runs without raw mode"
    );

    t.send("/");
    t.wait_until("the search line to open", |s| {
        s.contents().lines().any(|l| l.starts_with("/ "))
    });
    t.send("ken");
    t.wait_for("/ ken");
    // The best match, 田中 健太 (ケン, ken.tanaka@...), heads the list.
    let screen = t.wait_until("田中 健太 (ケン) first in the list", |s| {
        first_list_row(s).contains("田中 健太 (ケン)")
    });
    // The list is narrowed: not everyone is shown.
    let total = demo_people();
    let shown: usize = screen
        .split(&format!(" of {total} people"))
        .next()
        .and_then(|s| s.rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no people count on screen:\n{screen}"));
    assert!(
        (1..total).contains(&shown),
        "searching \"ken\" should narrow the list, shows {shown}:\n{screen}"
    );
    // Moving to her row shows her in the detail.
    t.send("\x1b[A".repeat(20).as_str());
    t.wait_until("田中 健太 (ケン) in the detail", |s| {
        columns(s, 46, 34).contains("田中 健太 (ケン)")
    });

    // Esc clears the search: everyone is back.
    t.send("\x1b");
    t.wait_for(&everyone());
    let screen = t.wait_until("the search line to close", |s| {
        !s.contents().contains("/ ken")
    });
    assert!(!screen.contains("/ ken"), "{screen}");

    t.send("q");
    let status = t.wait_exit();
    assert!(
        status.success(),
        "q should exit with success, got {status:?}"
    );
    t.assert_restored();
}

/// Typing re-ranks the list; the detail should follow the best match rather
/// than stay on whoever was selected before, when that one still matches.
#[test]
fn search_shows_the_top_hit_in_the_detail() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    // Look someone up first: 清水 健太 (ケン), the top hit for his full name.
    t.send("/");
    t.send("shimizu kenta");
    t.wait_for("/ shimizu kenta");
    t.wait_until("清水 健太 (ケン) first in the list", |s| {
        first_list_row(s).contains("清水 健太 (ケン)")
    });
    t.wait_until("清水 健太 (ケン) in the detail", |s| {
        columns(s, 46, 34).contains("清水 健太 (ケン)")
    });
    // Clear that search and look up "ken": he matches it too, but is not
    // the best match.
    t.send("\x1b");
    t.wait_for(&everyone());
    t.send("/");
    t.send("ken");
    t.wait_for("/ ken");
    let screen = t.wait_until("田中 健太 (ケン) first in the list", |s| {
        first_list_row(s).contains("田中 健太 (ケン)")
    });
    assert!(
        screen.contains("清水 健太 (ケン)"),
        "清水 健太 should still be among the hits for \"ken\":\n{screen}"
    );
    t.wait_until(
        "田中 健太 (ケン), the top hit, selected and shown in the detail",
        |s| columns(s, 46, 34).contains("田中 健太 (ケン)"),
    );
    t.send("\x1b");
    t.wait_for(&everyone());
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn an_import_by_another_process_shows_up_in_the_open_address_book() {
    let home = TempDir::new().unwrap();
    let db = small_store(home.path());
    let mut t = open_small_store(home.path(), &db, (80, 24));
    let csv = home.path().join("more.csv");
    std::fs::write(&csv, "name,email\nZoe Quill,zoe@example.jp\n").unwrap();
    cli(home.path(), &db, &["import", csv.to_str().unwrap()]);
    t.wait_for("another alumni process");
    t.wait_for("Zoe Quill");
    // And the address book goes on writing to it.
    t.send("j");
    t.wait_for("3 of 3 people");
    t.send("q");
    assert!(t.wait_exit().success());
}

/// Adds a person in the open address book and waits for what it says.
fn add_person_and_expect(t: &mut Tui, name: &str, said: &[&str]) -> String {
    t.send("a");
    t.wait_for("New person");
    t.send(name);
    t.wait_for(name);
    t.send("\r");
    let mut screen = String::new();
    for s in said {
        screen = t.wait_for(s);
    }
    screen
}

#[test]
fn an_edit_while_another_process_writes_says_the_store_is_busy() {
    let home = TempDir::new().unwrap();
    let db = small_store(home.path());
    let mut t = open_small_store(home.path(), &db, (100, 30));
    // Another process is in the middle of a write (an import).
    let other = rusqlite::Connection::open(&db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    add_person_and_expect(&mut t, "Zoe Quill", &["not saved", "busy"]);
    other.execute_batch("ROLLBACK").unwrap();
    drop(other);
    // The address book goes on, and a second try goes through.
    add_person_and_expect(&mut t, "Zoe Quill", &["Saved Zoe Quill."]);
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn an_edit_of_a_read_only_store_says_so_and_changes_nothing() {
    let home = TempDir::new().unwrap();
    let db = small_store(home.path());
    let before = std::fs::read(&db).unwrap();
    // Read-only: by its mode, and for root (whom modes do not stop) by the
    // immutable attribute; both undone at the end.
    struct Writable<'a>(&'a Path);
    impl Drop for Writable<'_> {
        fn drop(&mut self) {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(self.0)
                .status();
            let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(0o600));
        }
    }
    let _writable = Writable(&db);
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    }
    if std::fs::OpenOptions::new().append(true).open(&db).is_ok() {
        let made = std::process::Command::new("chattr")
            .arg("+i")
            .arg(&db)
            .status();
        assert!(
            made.is_ok_and(|s| s.success()),
            "chattr +i {}",
            db.display()
        );
    }
    let mut t = open_small_store(home.path(), &db, (100, 30));
    let screen = add_person_and_expect(&mut t, "Zoe Quill", &["not saved", "read-only"]);
    // What the store holds is shown again: the two people.
    t.send("j");
    t.wait_for("2 of 2 people");
    t.send("q");
    assert!(t.wait_exit().success());
    assert_eq!(std::fs::read(&db).unwrap(), before, "{screen}");
}

#[test]
fn adding_a_person_is_stored_at_once() {
    let home = TempDir::new().unwrap();
    let db = small_store(home.path());
    let mut t = open_small_store(home.path(), &db, (80, 24));
    t.send("a");
    t.wait_for("New person");
    t.send("Zoe Quill");
    t.wait_for("Zoe Quill");
    t.send("\r");
    t.wait_for("Saved Zoe Quill.");
    // Written at once: another process sees it while the TUI still runs.
    let found = cli(home.path(), &db, &["search", "Quill", "--json"]);
    let found: Value = serde_json::from_str(&found).unwrap();
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["Zoe Quill"], "search Quill found {found}");
    // A key clears the message; the count now includes her.
    t.send("j");
    t.wait_for("3 of 3 people");

    t.send("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    let out = cli(home.path(), &db, &["search", "Quill"]);
    assert!(
        out.contains("Zoe Quill"),
        "search Quill after quitting: {out}"
    );
    assert_eq!(stats(home.path(), &db)["people"], 3);
}

#[test]
fn delete_asks_first_and_undo_brings_the_person_back_in_the_store() {
    let home = TempDir::new().unwrap();
    let db = small_store(home.path());
    let before = stats(home.path(), &db);
    assert_eq!(before["people"], 2, "{before}");
    let mut t = open_small_store(home.path(), &db, (80, 24));
    // The first by reading: Latin names sort before kana.
    t.send("d");
    let screen = t.wait_until("the delete confirmation", |s| {
        flat(s).contains("Delete Liam Smith")
    });
    assert!(flat_text(&screen).contains("Press y to delete"), "{screen}");
    // Nothing is deleted before the answer.
    assert_eq!(stats(home.path(), &db)["people"], 2);

    t.send("y");
    t.wait_for("Deleted Liam Smith.");
    let after = stats(home.path(), &db);
    assert_eq!(
        after["people"], 1,
        "the delete is not in the store: {after}"
    );

    t.send("u");
    t.wait_for("Restored Liam Smith.");
    t.send("j");
    t.wait_for("2 of 2 people");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    assert_eq!(
        stats(home.path(), &db),
        before,
        "undo should restore the person and their stints"
    );
    let found: Value =
        serde_json::from_str(&cli(home.path(), &db, &["search", "Liam", "--json"])).unwrap();
    assert_eq!(found[0]["name"], "Liam Smith", "{found}");
    assert_eq!(found[0]["emails"][0], "liam@example.com", "{found}");
}

/// `F` in the real binary: the question, Enter does nothing, `y` erases
/// the person from the store for good (no undo), as `alumni forget` does.
#[test]
fn f_erases_the_person_on_request_in_the_store() {
    let home = TempDir::new().unwrap();
    let db = small_store(home.path());
    let mut t = open_small_store(home.path(), &db, (80, 24));
    t.send("F");
    let screen = t.wait_until("the erase question", |s| {
        flat(s).contains("Erase Liam Smith")
    });
    assert!(flat_text(&screen).contains("cannot be undone"), "{screen}");
    t.send("\r");
    t.wait_for("Enter: no such key here");
    assert_eq!(stats(home.path(), &db)["people"], 2);
    t.send("y");
    t.wait_for("on request: nothing about them is kept.");
    assert_eq!(stats(home.path(), &db)["people"], 1);
    t.send("u");
    t.wait_for("Nothing to undo.");
    t.send("q");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
    let found: Value =
        serde_json::from_str(&cli(home.path(), &db, &["search", "Liam", "--json"])).unwrap();
    assert_eq!(found, Value::Array(Vec::new()), "{found}");
}

/// The first row of the People table (under its header), list side only.
fn first_list_row(screen: &vt100::Screen) -> String {
    let list: Vec<String> = screen.rows(0, 44).collect();
    list.iter()
        .position(|r| r.contains("Name") && r.contains("Join"))
        .and_then(|h| list.get(h + 1))
        .cloned()
        .unwrap_or_default()
}

fn flat_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn events_upcoming_first_and_marking_attendance() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    t.send("3");
    let screen = t.wait_for("20th-anniversary reunion");
    let list = {
        let s = t.seen.lock().unwrap();
        columns(s.parser.screen(), 0, 44)
    };
    let events: Vec<&str> = list.lines().filter(|l| l.contains("reunion")).collect();
    assert!(
        events.len() >= 2 && events[0].contains("20th-anniversary reunion"),
        "the upcoming reunion should come first:\n{screen}"
    );
    assert!(
        !screen.contains("attended 1"),
        "nobody has attended the upcoming reunion yet:\n{screen}"
    );

    t.send("\r");
    t.wait_for("x attended");
    t.send("x");
    let screen = t.wait_for("attended 1");
    // The invitation row says so too (the first row of the grouped list).
    let detail = {
        let s = t.seen.lock().unwrap();
        columns(s.parser.screen(), 46, 34)
    };
    assert!(
        detail
            .lines()
            .any(|l| l.trim_start().starts_with("attended ")),
        "no invitation marked attended in the detail:\n{screen}"
    );

    t.send("q");
    assert!(t.wait_exit().success());
    t.assert_restored();
}

fn restored_on_signal(signal: &str) {
    let home = TempDir::new().unwrap();
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    let pid = t.pid().to_string();
    let killed = std::process::Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(&pid)
        .status()
        .expect("run kill");
    assert!(killed.success(), "kill -{signal} {pid} failed");
    let status = t.wait_exit();
    assert_eq!(
        status.signal(),
        None,
        "the program died of SIG{signal} instead of handling it"
    );
    t.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    restored_on_signal("TERM");
}

#[test]
fn sighup_restores_the_terminal() {
    restored_on_signal("HUP");
}

#[test]
fn ctrl_c_quits_from_the_search_line_and_restores_the_terminal() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    t.send("/");
    t.send("ta");
    t.wait_for("/ ta");
    t.send("\x03");
    let status = t.wait_exit();
    assert!(status.success(), "{status:?}");
    t.assert_restored();
}

#[test]
fn japanese_locale_shows_japanese_titles() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::start(home.path(), &["--demo"], "ja_JP.UTF-8", (80, 24));
    let screen = t.wait_until("the Japanese tab titles", |s| {
        let top = s.rows(0, 80).next().unwrap_or_default();
        top.contains("1 人") && top.contains("2 グループ") && top.contains("3 イベント")
    });
    let top = screen.lines().next().unwrap_or_default();
    assert!(
        !top.contains("People") && !top.contains("Events"),
        "English tab titles under LANG=ja_JP.UTF-8:\n{screen}"
    );
    // The status bar too (ja.toml status.people).
    let n = demo_people();
    t.wait_for(&format!("{n} 人中 {n} 人"));
    // Wide characters keep the columns in line: the borders of the list
    // and of the detail stay in the same column on every row of the body.
    let (top_right, body) = {
        let s = t.seen.lock().unwrap();
        let screen = s.parser.screen();
        let cell = |r: u16, c: u16| screen.cell(r, c).map(|c| c.contents().to_string());
        let detail_x = (10..80)
            .find(|&c| cell(1, c).as_deref() == Some("┌"))
            .unwrap_or_else(|| panic!("no detail pane found:\n{}", screen.contents()));
        let body: Vec<(u16, Option<String>, Option<String>)> = (2..21)
            .map(|r| (r, cell(r, detail_x - 1), cell(r, detail_x)))
            .collect();
        (detail_x, body)
    };
    for (row, list_edge, detail_edge) in body {
        assert_eq!(
            (list_edge.as_deref(), detail_edge.as_deref()),
            (Some("│"), Some("│")),
            "row {row}: the borders at columns {} and {top_right} are out of line:\n{screen}",
            top_right - 1
        );
    }
    t.send("q");
    assert!(t.wait_exit().success());
    t.assert_restored();
}

#[test]
fn a_small_window_says_so_and_resizing_shows_the_list() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::start(home.path(), &["--demo"], "C.UTF-8", (50, 12));
    t.wait_until("the too-small message", |s| {
        flat(s).contains("The window is 50x12; alumni needs at least 60x15. Make it larger.")
    });
    assert!(!t.screen_text().contains(" people"));

    {
        // The terminal's own size changes with the window.
        t.seen.lock().unwrap().parser.set_size(nz(24), nz(80));
        t.master.resize(size(80, 24)).expect("resize the pty");
    }
    let screen = t.wait_for(&everyone());
    assert!(
        !flat_text(&screen).contains("The window is"),
        "the too-small message stays after resizing:\n{screen}"
    );

    // And back down: the message again, with the new size.
    t.seen.lock().unwrap().parser.set_size(nz(14), nz(70));
    t.master.resize(size(70, 14)).expect("resize the pty");
    t.wait_until("the too-small message for 70x14", |s| {
        flat(s).contains("The window is 70x14")
    });

    t.send("q");
    assert!(t.wait_exit().success());
    t.assert_restored();
}

#[test]
fn clicking_a_tab_title_switches_panes() {
    let home = TempDir::new().unwrap();
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    // The tab titles: " 1 People " " 2 Cohorts " " 3 Events " on row 0.
    let col = {
        let s = t.seen.lock().unwrap();
        let top = s.parser.screen().rows(0, 80).next().unwrap_or_default();
        top.find("3 Events").expect("the Events tab title") as u16
    };
    // A left click there, as xterm reports it in SGR mode (1-based).
    t.send(&format!("\x1b[<0;{};1M\x1b[<0;{};1m", col + 2, col + 2));
    t.wait_for("20th-anniversary reunion");
    t.wait_for("┌ Events ");
    t.send("q");
    assert!(t.wait_exit().success());
    t.assert_restored();
}

/// Writes `text` as the user's config file under `home` (XDG_CONFIG_HOME).
fn config(home: &Path, text: &str) {
    let dir = home.join("config").join("alumni");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

#[test]
fn a_config_file_overrides_single_keys() {
    let home = TempDir::new().unwrap();
    config(home.path(), "[keys.people]\n\"x\" = \"delete\"\n");
    let mut t = Tui::demo(home.path());
    t.wait_for(&everyone());
    t.send("x");
    t.wait_until("the delete confirmation from the remapped key", |s| {
        flat(s).contains("Press y to delete, n to keep.")
    });
    t.send("n");
    t.wait_until("the confirmation to close", |s| {
        !flat(s).contains("Press y to delete")
    });
    t.send("q");
    assert!(t.wait_exit().success());
}

#[test]
fn a_bad_config_file_names_its_line_and_the_defaults_work() {
    let home = TempDir::new().unwrap();
    config(
        home.path(),
        "# my keys\n[keys.people]\n\"x\" = \"explode\"\n",
    );
    // Wide enough for the whole message, whatever the temp path.
    let mut t = Tui::start(home.path(), &["--demo"], "C.UTF-8", (200, 30));
    t.wait_until("the config problem in the status bar", |s| {
        let text = flat(s);
        text.contains("config.toml line 3") && text.contains("explode")
    });
    // The defaults are in use: 3 opens the Events pane, x does nothing.
    t.send("3");
    t.wait_for("20th-anniversary reunion");
    t.send("q");
    assert!(t.wait_exit().success());
    t.assert_restored();
}
