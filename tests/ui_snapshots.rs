//! Snapshots of the whole TUI screen at 80x24 on ratatui's `TestBackend`,
//! built from hand-made data through the public API (`State`, `update`,
//! `ui::draw`), plus style checks on buffer cells where a text snapshot
//! cannot see colour (selection, search highlight, active tab).
//!
//! Everything is deterministic: a fixed `today`, no clock, no files.
//! Update the snapshots with `INSTA_UPDATE=always cargo test --test ui_snapshots`
//! and read every changed `.snap` before committing it.

use alumni::domain::{
    Closeness, Cohort, Consent, Event, Invitation, InvitationStatus, Person, Stint,
};
use alumni::tui::action::Action;
use alumni::tui::i18n::Lang;
use alumni::tui::keymap::Keymap;
use alumni::tui::state::{Data, FieldKey, Pane, Popup, State, update};
use alumni::tui::ui::{self, layout, widgets};
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use unicode_width::UnicodeWidthStr;

const W: u16 = 80;
const H: u16 = 24;

// ---------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
}

fn today() -> NaiveDate {
    d(2026, 11, 23)
}

fn stint(joined: (i32, u32, u32), left: Option<(i32, u32, u32)>, dept: &str, role: &str) -> Stint {
    Stint {
        joined: Some(d(joined.0, joined.1, joined.2)),
        left: left.map(|(y, m, day)| d(y, m, day)),
        department: dept.into(),
        role: role.into(),
    }
}

/// A mixed roster: Japanese names with kana readings and nicknames, a
/// Western name without reading, a consent `no` person, a returner.
fn people() -> Vec<Person> {
    vec![
        Person {
            id: "p-tanaka".into(),
            name: "田中 健太".into(),
            reading: "たなか けんた".into(),
            nickname: "ケン".into(),
            emails: smallvec::smallvec!["kenta@example.jp".into()],
            company: "Mercari".into(),
            title: "Engineering Manager".into(),
            location: "Tokyo".into(),
            tags: thin_vec::thin_vec!["ambassador".into()],
            consent: Consent::Yes,
            consent_date: Some(d(2024, 4, 1)),
            closeness: Closeness::Close,
            last_contacted: Some(d(2026, 10, 2)),
            notes: "Organised the 2016 party.".into(),
            // A returner: left, came back, left again.
            stints: smallvec::smallvec![
                stint((2001, 4, 1), Some((2006, 3, 31)), "Web", "Engineer"),
                stint((2012, 4, 1), Some((2019, 9, 30)), "Product", "Lead"),
            ],
            ..Default::default()
        },
        Person {
            id: "p-sato".into(),
            name: "佐藤 美咲".into(),
            reading: "さとう みさき".into(),
            nickname: "ミサ".into(),
            emails: smallvec::smallvec!["misaki@example.jp".into()],
            company: "Rakuten".into(),
            consent: Consent::No,
            closeness: Closeness::Distant,
            stints: smallvec::smallvec![stint((2010, 4, 1), Some((2014, 6, 30)), "Sales", "")],
            ..Default::default()
        },
        Person {
            id: "p-emma".into(),
            name: "Emma Johnson".into(),
            nickname: "Em".into(),
            emails: smallvec::smallvec!["emma@example.com".into()],
            company: "Figma".into(),
            location: "London".into(),
            consent: Consent::Yes,
            closeness: Closeness::InTouch,
            stints: smallvec::smallvec![stint(
                (2003, 10, 1),
                Some((2008, 12, 31)),
                "Design",
                "Designer",
            )],
            ..Default::default()
        },
        Person {
            id: "p-yamada".into(),
            name: "山田 太郎".into(),
            reading: "やまだ たろう".into(),
            consent: Consent::Unknown,
            closeness: Closeness::Lost,
            stints: smallvec::smallvec![stint((1998, 4, 1), Some((2003, 3, 31)), "Infra", "SRE")],
            ..Default::default()
        },
        Person {
            id: "p-suzuki".into(),
            name: "鈴木 一郎".into(),
            reading: "すずき いちろう".into(),
            nickname: "イチ".into(),
            emails: smallvec::smallvec!["ichiro@example.jp".into()],
            company: "LINEヤフー".into(),
            consent: Consent::Yes,
            closeness: Closeness::InTouch,
            stints: smallvec::smallvec![
                stint((2015, 4, 1), Some((2017, 3, 31)), "Web", "Engineer"),
                stint((2018, 10, 1), Some((2024, 3, 31)), "Web", "Tech lead"),
            ],
            ..Default::default()
        },
    ]
}

fn cohorts() -> Vec<Cohort> {
    vec![
        Cohort {
            id: "c-web".into(),
            name: "Web team".into(),
            members: vec!["p-tanaka".into(), "p-emma".into(), "p-suzuki".into()],
        },
        Cohort {
            id: "c-2001".into(),
            name: "2001年入社".into(),
            members: vec!["p-tanaka".into()],
        },
        Cohort {
            id: "c-sales".into(),
            name: "Sales OB会".into(),
            members: vec![],
        },
    ]
}

fn invitation(person: &str, status: InvitationStatus) -> Invitation {
    Invitation {
        person: person.into(),
        status,
        ..Default::default()
    }
}

fn events() -> Vec<Event> {
    vec![
        Event {
            id: "e-10th".into(),
            name: "10周年パーティー".into(),
            date: Some(d(2016, 11, 19)),
            venue: "渋谷".into(),
            invitations: vec![
                invitation("p-tanaka", InvitationStatus::Attended),
                invitation("p-emma", InvitationStatus::NoShow),
                invitation("p-sato", InvitationStatus::Attended),
            ],
            ..Default::default()
        },
        Event {
            id: "e-bonen".into(),
            name: "2026 忘年会".into(),
            date: Some(d(2026, 12, 5)),
            venue: "新宿 居酒屋".into(),
            notes: "一次会 19:00".into(),
            invitations: vec![
                invitation("p-tanaka", InvitationStatus::Accepted),
                invitation("p-emma", InvitationStatus::Maybe),
                invitation("p-yamada", InvitationStatus::Declined),
                invitation("p-suzuki", InvitationStatus::Invited),
            ],
            ..Default::default()
        },
    ]
}

fn data() -> Data {
    Data {
        people: people(),
        cohorts: cohorts(),
        events: events(),
    }
}

// ---------------------------------------------------------------------------
// Driving and rendering
// ---------------------------------------------------------------------------

/// A state for `data`, sized like the terminal it will be drawn on.
fn state_sized(data: Data, lang: Lang, w: u16, h: u16) -> State {
    let mut s = State::new(data, today(), lang);
    update(&mut s, Action::Resize(w, h));
    s
}

fn state(data: Data, lang: Lang) -> State {
    state_sized(data, lang, W, H)
}

fn act(s: &mut State, actions: impl IntoIterator<Item = Action>) {
    for a in actions {
        update(s, a);
    }
}

fn type_text(s: &mut State, text: &str) {
    act(s, text.chars().map(Action::Input));
}

fn keymap() -> Keymap {
    Keymap::defaults()
}

/// Draws `s` on a fresh `w`x`h` terminal. Returns what the terminal shows
/// (the backend's cells, after ratatui's diff) and the frame ratatui
/// composed (where something drawn under a wide character is still visible).
fn draw_both(s: &State, w: u16, h: u16) -> (Buffer, Buffer) {
    let keymap = keymap();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
    let frame = terminal
        .draw(|f| ui::draw(f, s, &keymap))
        .expect("drawing never fails on a TestBackend")
        .buffer
        .clone();
    (terminal.backend().buffer().clone(), frame)
}

fn draw(s: &State, w: u16, h: u16) -> Buffer {
    draw_both(s, w, h).0
}

/// The cells of row `y` a terminal shows, with their x: a cell behind the
/// second half of a wide character is not shown.
fn visible_cells(buf: &Buffer, y: u16) -> Vec<(u16, &str)> {
    let area = buf.area;
    let mut out = Vec::new();
    let mut hidden = 0usize;
    for x in area.left()..area.right() {
        let sym = buf[(x, y)].symbol();
        if hidden > 0 {
            hidden -= 1;
            continue;
        }
        out.push((x, sym));
        hidden = UnicodeWidthStr::width(sym).saturating_sub(1);
    }
    out
}

/// Cells that were drawn into although a wide character to their left
/// covers them: on a real terminal they never show (a popup border or a
/// pane border lost under 漢字), so this is always a rendering bug.
fn drawn_under_wide_chars(frame: &Buffer) -> Vec<(u16, u16, String)> {
    let area = frame.area;
    let mut out = Vec::new();
    for y in area.top()..area.bottom() {
        let mut hidden = 0usize;
        let mut owner = String::new();
        for x in area.left()..area.right() {
            let sym = frame[(x, y)].symbol();
            if hidden > 0 {
                if sym != " " {
                    out.push((x, y, format!("{sym:?} under {owner:?}")));
                }
                hidden -= 1;
                continue;
            }
            hidden = UnicodeWidthStr::width(sym).saturating_sub(1);
            owner = sym.to_string();
        }
    }
    out
}

/// The screen's rows as text.
fn lines(buf: &Buffer) -> Vec<String> {
    (buf.area.top()..buf.area.bottom())
        .map(|y| visible_cells(buf, y).into_iter().map(|(_, s)| s).collect())
        .collect()
}

/// Row `y` between the cells `x0` and `x1` (exclusive) as text.
fn region(buf: &Buffer, y: u16, x0: u16, x1: u16) -> String {
    visible_cells(buf, y)
        .into_iter()
        .filter(|&(x, _)| x >= x0 && x < x1)
        .map(|(_, s)| s)
        .collect()
}

/// The screen as text, one quoted line per row (quotes keep trailing
/// blanks visible).
fn text(buf: &Buffer) -> String {
    lines(buf)
        .iter()
        .map(|l| format!("\"{l}\"\n"))
        .collect::<String>()
}

/// Draws `s` at `w`x`h` and returns the screen text, after checking that
/// every row is exactly as wide as the screen (a wide character counted
/// wrong shifts everything after it on its row).
fn screen_sized(s: &State, w: u16, h: u16) -> String {
    let buf = draw(s, w, h);
    for (y, l) in lines(&buf).iter().enumerate() {
        assert_eq!(
            UnicodeWidthStr::width(l.as_str()),
            w as usize,
            "row {y} is not {w} columns wide: {l:?}"
        );
    }
    text(&buf)
}

fn screen(s: &State) -> String {
    screen_sized(s, W, H)
}

/// The display column where `needle` starts in `line`, if it is there.
fn column_of(line: &str, needle: &str) -> Option<usize> {
    line.find(needle)
        .map(|byte| UnicodeWidthStr::width(&line[..byte]))
}

/// The first row of the People/Events/Cohorts list (inside its border)
/// that shows `needle`, and the cells `[x0, x1)` it takes there.
fn in_list(buf: &Buffer, needle: &str) -> Option<(u16, u16, u16)> {
    let a = layout::areas(W, H);
    let (left, right) = (a.list.x + 1, a.list.x + a.list.width - 1);
    (a.list.y + 1..a.list.y + a.list.height - 1).find_map(|y| {
        let row = region(buf, y, left, right);
        let col = column_of(&row, needle)? as u16;
        Some((
            y,
            left + col,
            left + col + UnicodeWidthStr::width(needle) as u16,
        ))
    })
}

// ---------------------------------------------------------------------------
// Screens: each builds a state the way the coordinator gets there
// ---------------------------------------------------------------------------

fn people_screen() -> State {
    state(data(), Lang::En)
}

fn search_screen(query: &str) -> State {
    let mut s = people_screen();
    act(&mut s, [Action::Search]);
    type_text(&mut s, query);
    s
}

fn cohorts_screen() -> State {
    let mut s = people_screen();
    act(&mut s, [Action::PaneCohorts]);
    s
}

fn events_screen() -> State {
    let mut s = people_screen();
    act(&mut s, [Action::PaneEvents]);
    s
}

fn invitations_screen() -> State {
    let mut s = events_screen();
    act(&mut s, [Action::FocusDetail]);
    s
}

fn help_people_screen() -> State {
    let mut s = people_screen();
    act(&mut s, [Action::Help]);
    s
}

fn help_invitations_screen() -> State {
    let mut s = invitations_screen();
    act(&mut s, [Action::Help]);
    s
}

fn confirm_delete_screen() -> State {
    let mut s = people_screen();
    act(&mut s, [Action::Delete]);
    s
}

fn add_person_screen() -> State {
    let mut s = people_screen();
    act(&mut s, [Action::Add]);
    s
}

fn focused_field(s: &State) -> FieldKey {
    match &s.popup {
        Some(Popup::Form(f)) => f.fields[f.focus].key,
        other => panic!("the form is open, not {other:?}"),
    }
}

/// The add form with a name, and an impossible first joined date.
fn add_person_bad_date_screen() -> State {
    let mut s = add_person_screen();
    type_text(&mut s, "新人 花子");
    // Walk to the first stint's joined date, wherever the form puts it.
    for _ in 0..64 {
        if focused_field(&s) == FieldKey::Joined(0) {
            break;
        }
        act(&mut s, [Action::NextField]);
    }
    assert_eq!(focused_field(&s), FieldKey::Joined(0));
    type_text(&mut s, "2001-13-01");
    s
}

fn invite_picker_screen() -> State {
    let mut s = events_screen();
    act(&mut s, [Action::Invite]);
    assert!(matches!(s.popup, Some(Popup::Picker(_))));
    s
}

// ---------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------

#[test]
fn people_pane_mixed_list() {
    let shot = screen(&people_screen());
    // Sorted by reading: さとう, すずき, たなか, やまだ; a name without a
    // reading sorts by its name ("emma" before any kana).
    let order: Vec<usize> = ["Emma", "佐藤", "鈴木", "田中", "山田"]
        .iter()
        .map(|n| shot.find(n).expect(n))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{shot}");
    insta::assert_snapshot!("people_mixed_list", shot);
}

#[test]
fn people_pane_with_active_search() {
    let s = search_screen("em");
    // Two letters match as typed: Emma (name, nickname, email); "e...m"
    // scattered through the others' example.jp emails does not count.
    assert_eq!(s.people.rows.len(), 1);
    assert_eq!(s.selected_person().map(|p| p.id.as_str()), Some("p-emma"));
    let shot = screen(&s);
    assert!(shot.contains("/ em"), "{shot}");
    assert!(!shot.contains("山田"), "{shot}");
    // Three letters match fuzzily again: "exa" is in every example.jp email.
    assert_eq!(search_screen("exa").people.rows.len(), 4);
    insta::assert_snapshot!("people_search_em", shot);
}

#[test]
fn people_pane_search_by_romaji_of_the_reading() {
    let mut s = search_screen("tanaka");
    act(&mut s, [Action::Confirm]);
    let shot = screen(&s);
    assert!(shot.contains("田中 健太"), "{shot}");
    insta::assert_snapshot!("people_search_romaji_confirmed", shot);
}

#[test]
fn people_pane_in_japanese() {
    let s = state(data(), Lang::Ja);
    insta::assert_snapshot!("people_japanese", screen(&s));
}

#[test]
fn people_search_matching_nothing() {
    let shot = screen(&search_screen("zzzz"));
    assert!(shot.contains("Nothing matches"), "{shot}");
    insta::assert_snapshot!("people_search_no_match", shot);
}

// ---------------------------------------------------------------------------
// Cohorts and events
// ---------------------------------------------------------------------------

#[test]
fn cohorts_pane() {
    let shot = screen(&cohorts_screen());
    assert!(shot.contains("Members (3)"), "{shot}");
    insta::assert_snapshot!("cohorts_pane", shot);
}

#[test]
fn a_cohort_without_members_says_so_whole_in_both_languages() {
    for (lang, empty, w) in [
        (Lang::En, "No members yet: m to add people.", W),
        (Lang::Ja, "メンバーはいません。m で追加。", W),
        // The narrowest window wraps them, an odd width too (never a wide
        // character half over the border).
        (
            Lang::En,
            "No members yet: m to add people.",
            layout::MIN_WIDTH,
        ),
        (
            Lang::Ja,
            "メンバーはいません。m で追加。",
            layout::MIN_WIDTH + 1,
        ),
    ] {
        let mut s = state_sized(data(), lang, w, H);
        act(&mut s, [Action::PaneCohorts]);
        for _ in 0..s.cohorts.rows.len() {
            if s.cohorts.current().is_some_and(|c| s.member_count(c) == 0) {
                break;
            }
            act(&mut s, [Action::Down]);
        }
        assert_eq!(s.cohorts.current().map(|c| s.member_count(c)), Some(0));
        let buf = draw(&s, w, H);
        let a = layout::areas(w, H);
        let detail = (a.detail.y + 1..a.detail.y + a.detail.height - 1)
            .map(|y| region(&buf, y, a.detail.x + 1, a.detail.x + a.detail.width - 1))
            .map(|row| row.trim_end().to_string())
            .filter(|row| !row.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(detail.contains(empty), "{lang:?} at {w}: {detail}");
        assert_eq!(drawn_under_wide_chars(&draw_both(&s, w, H).1), vec![]);
    }
}

#[test]
fn events_pane_upcoming_first_then_past() {
    let shot = screen(&events_screen());
    let upcoming = shot.find("2026 忘年会").expect("the upcoming event");
    let past = shot.find("10周年パーティー").expect("the past event");
    assert!(upcoming < past, "{shot}");
    insta::assert_snapshot!("events_pane", shot);
}

#[test]
fn events_pane_past_event_selected() {
    let mut s = events_screen();
    act(&mut s, [Action::Down]);
    insta::assert_snapshot!("events_pane_past_selected", screen(&s));
}

#[test]
fn events_pane_focus_on_invitations() {
    let s = invitations_screen();
    let buf = draw(&s, W, H);
    // The first invitation (grouped by status: invited first) is selected
    // in the detail, and the event stays marked in the list, unfocused.
    let a = layout::areas(W, H);
    let y = (a.detail.y + 1..a.detail.y + a.detail.height - 1)
        .find(|&y| region(&buf, y, a.detail.x, a.detail.x + a.detail.width).contains("鈴木"))
        .expect("the invited guest is listed");
    let bg = widgets::selected().bg.expect("a selection background");
    assert_eq!(buf[(a.detail.x + 1, y)].bg, bg);
    let (ey, _, _) = in_list(&buf, "2026 忘年会").expect("the event is listed");
    let unfocused = widgets::selected_unfocused().bg.expect("a background");
    assert_eq!(buf[(a.list.x + 1, ey)].bg, unfocused);
    insta::assert_snapshot!("events_invitations_focused", text(&buf));
}

/// The 忘年会 with two parts: 田中 came to both, Emma to the second only,
/// 山田 (declined) to none; the guests in focus at `w`x`h`.
fn parts_screen(w: u16, h: u16) -> State {
    let mut data = data();
    let e = &mut data.events[1];
    e.parts = vec!["一次会".into(), "二次会".into()];
    e.invitations[0].status = InvitationStatus::Attended;
    e.invitations[0].attended_parts = vec!["一次会".into(), "二次会".into()];
    e.invitations[1].status = InvitationStatus::Attended;
    e.invitations[1].attended_parts = vec!["二次会".into()];
    let mut s = state_sized(data, Lang::En, w, h);
    act(&mut s, [Action::PaneEvents, Action::FocusDetail]);
    s
}

/// The detail's row showing `needle`, as text.
fn detail_row(buf: &Buffer, w: u16, h: u16, needle: &str) -> String {
    let a = layout::areas(w, h);
    (a.detail.y + 1..a.detail.y + a.detail.height - 1)
        .map(|y| region(buf, y, a.detail.x + 1, a.detail.x + a.detail.width - 1))
        .find(|row| row.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}"))
}

#[test]
fn invitation_rows_show_the_parts_attended_in_a_column_at_80_and_120() {
    // 80 columns: the parts by their first letter, in their own slots.
    let s = parts_screen(W, H);
    let shot = screen(&s);
    let buf = draw(&s, W, H);
    let tanaka = detail_row(&buf, W, H, "田中");
    let emma = detail_row(&buf, W, H, "Emma");
    let yamada = detail_row(&buf, W, H, "山田");
    assert!(tanaka.ends_with(" 一 二"), "{tanaka:?}\n{shot}");
    assert!(emma.ends_with("    二"), "{emma:?}\n{shot}");
    assert!(yamada.ends_with("     "), "{yamada:?}\n{shot}");
    // The head count per part is with the counts.
    assert!(shot.contains("一次会 1"), "{shot}");
    assert!(shot.contains("二次会 2"), "{shot}");
    // 120 columns: whole names.
    let s = parts_screen(120, 30);
    let shot = screen_sized(&s, 120, 30);
    let buf = draw(&s, 120, 30);
    let tanaka = detail_row(&buf, 120, 30, "田中");
    let emma = detail_row(&buf, 120, 30, "Emma");
    assert!(tanaka.ends_with(" 一次会 二次会"), "{tanaka:?}\n{shot}");
    assert!(emma.ends_with("        二次会"), "{emma:?}\n{shot}");
    // Nothing is drawn under half of a wide character at either width.
    for (w, h) in [(W, H), (120, 30)] {
        let (_, frame) = draw_both(&parts_screen(w, h), w, h);
        assert_eq!(drawn_under_wide_chars(&frame), vec![]);
    }
}

/// A new event with two parts and nobody invited yet, selected, in `lang`.
fn new_event_with_parts(lang: Lang, w: u16, h: u16) -> State {
    let mut data = data();
    data.events.push(Event {
        id: "e-new".into(),
        name: "2027 新年会".into(),
        date: Some(d(2027, 1, 15)),
        venue: "銀座".into(),
        parts: vec!["一次会".into(), "二次会".into()],
        ..Default::default()
    });
    let mut s = state_sized(data, lang, w, h);
    // Upcoming, soonest first: after the 忘年会.
    act(&mut s, [Action::PaneEvents, Action::Down]);
    s
}

#[test]
fn an_event_lists_its_parts_and_says_whole_that_nobody_is_invited() {
    for (lang, parts, empty) in [
        (
            Lang::En,
            "Parts: 一次会, 二次会",
            "Nobody invited yet: i to invite.",
        ),
        (
            Lang::Ja,
            "部: 一次会, 二次会",
            "まだ招待していません。i で招待。",
        ),
    ] {
        let s = new_event_with_parts(lang, W, H);
        let buf = draw(&s, W, H);
        let shot = screen(&s);
        let label = parts.split(' ').next().unwrap();
        assert_eq!(detail_row(&buf, W, H, label).trim_end(), parts, "{shot}");
        let first = empty.split(' ').next().unwrap();
        assert_eq!(detail_row(&buf, W, H, first).trim_end(), empty, "{shot}");
        match lang {
            Lang::En => insta::assert_snapshot!("event_parts_nobody_invited", shot),
            Lang::Ja => insta::assert_snapshot!("event_parts_nobody_invited_ja", shot),
        }
    }
    // In the narrowest window the text wraps, still whole; at an odd width
    // too, with no wide character half over the border.
    for (lang, empty, w) in [
        (
            Lang::En,
            "Nobody invited yet: i to invite.",
            layout::MIN_WIDTH,
        ),
        (
            Lang::Ja,
            "まだ招待していません。i で招待。",
            layout::MIN_WIDTH + 1,
        ),
    ] {
        let h = layout::MIN_HEIGHT;
        let s = new_event_with_parts(lang, w, h);
        let (buf, frame) = draw_both(&s, w, h);
        let a = layout::areas(w, h);
        let detail = (a.detail.y + 1..a.detail.y + a.detail.height - 1)
            .map(|y| region(&buf, y, a.detail.x + 1, a.detail.x + a.detail.width - 1))
            .map(|row| row.trim_end().to_string())
            .filter(|row| !row.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(detail.contains(empty), "{lang:?} at {w}: {detail}");
        assert_eq!(drawn_under_wide_chars(&frame), vec![]);
    }
}

/// A long event name, venue and notes wrap in the heading by display
/// width: the date, venue and parts below them still show, and no wide
/// character ends half over the border, at odd widths too.
#[test]
fn a_long_event_heading_wraps_whole_and_keeps_the_date_and_parts() {
    let name = "20周年記念 同窓会・創業メンバーと歴代社員の大集合パーティー";
    for (w, h) in [(layout::MIN_WIDTH, 24), (61, 24), (79, 24), (W, H)] {
        let mut data = data();
        let e = &mut data.events[1];
        e.name = name.into();
        e.venue = "渋谷、代官山の店（二次会は恵比寿）".into();
        e.notes = "一次会 19:00\n二次会 21:00、会費は当日現金で".into();
        e.parts = vec!["一次会".into(), "二次会".into()];
        let mut s = state_sized(data, Lang::Ja, w, h);
        act(&mut s, [Action::PaneEvents]);
        let (buf, frame) = draw_both(&s, w, h);
        let shot = text(&buf);
        let a = layout::areas(w, h);
        let rows: Vec<String> = (a.detail.y + 1..a.detail.y + a.detail.height - 1)
            .map(|y| region(&buf, y, a.detail.x + 1, a.detail.x + a.detail.width - 1))
            .map(|row| row.trim_end().to_string())
            .collect();
        let joined = rows.concat().replace(' ', "");
        assert!(joined.contains(&name.replace(' ', "")), "at {w}:\n{shot}");
        assert!(
            joined.contains("2026-12-05(あと12日)·渋谷"),
            "the date and venue at {w}:\n{shot}"
        );
        assert!(
            joined.contains("渋谷、代官山の店（二次会は恵比寿）"),
            "at {w}:\n{shot}"
        );
        // The notes' line break is a line break, not an escape.
        assert!(rows.iter().any(|r| r == "一次会 19:00"), "at {w}:\n{shot}");
        assert!(!shot.contains("\\u{a}"), "at {w}:\n{shot}");
        assert!(
            rows.iter().any(|r| r.starts_with("部:")),
            "the parts at {w}:\n{shot}"
        );
        assert_eq!(drawn_under_wide_chars(&frame), vec![], "at {w}:\n{shot}");
        // The guests still show under the heading.
        assert!(rows.iter().any(|r| r.contains("田中")), "at {w}:\n{shot}");
    }
}

/// The guests' names line up under each other in Japanese too, whose
/// replies are 2 to 4 characters of double width (招待中, 出席予定, 欠席).
#[test]
fn guest_names_line_up_after_replies_of_any_width() {
    for (lang, w) in [(Lang::Ja, W), (Lang::Ja, 61), (Lang::En, W)] {
        let mut s = state_sized(data(), lang, w, H);
        act(&mut s, [Action::PaneEvents, Action::FocusDetail]);
        let buf = draw(&s, w, H);
        let shot = text(&buf);
        let columns: Vec<usize> = ["鈴木", "田中", "山田", "Emma"]
            .iter()
            .map(|name| {
                let row = detail_row(&buf, w, H, name);
                column_of(&row, name).unwrap_or_else(|| panic!("{name} in {row:?}"))
            })
            .collect();
        assert!(
            columns.iter().all(|&c| c == columns[0]),
            "{lang:?} at {w}: names at columns {columns:?}\n{shot}"
        );
    }
}

/// The status line under a form offers what that form does: Ctrl-N adds
/// a stint in a person's form only, and Esc on a changed form asks first,
/// as the form's own last line says.
#[test]
fn the_status_line_of_a_form_offers_only_its_keys() {
    let status = |s: &State, w: u16| lines(&draw(s, w, H)).last().cloned().unwrap_or_default();
    let mut person = state_sized(data(), Lang::En, 120, H);
    act(&mut person, [Action::Add]);
    let line = status(&person, 120);
    assert!(line.contains("Ctrl-N add stint"), "{line}");
    for pane in [Action::PaneEvents, Action::PaneCohorts] {
        let mut s = state_sized(data(), Lang::En, 120, H);
        act(&mut s, [pane.clone(), Action::Add]);
        assert!(matches!(s.popup, Some(Popup::Form(_))));
        let line = status(&s, 120);
        assert!(!line.contains("stint"), "{pane:?}: {line}");
        assert!(line.contains("Esc cancel"), "{pane:?}: {line}");
        assert!(!line.contains("asks first"), "{pane:?}: {line}");
        type_text(&mut s, "x");
        let line = status(&s, 120);
        assert!(line.contains("Esc cancel (asks first)"), "{pane:?}: {line}");
    }
}

/// An event without a date says so in the list (日程未定 in Japanese, 8
/// columns) and its name starts in the same column as the dated ones'.
#[test]
fn an_undated_event_lines_up_with_the_dated_ones_in_both_languages() {
    for lang in [Lang::En, Lang::Ja] {
        let mut data = data();
        data.events.push(Event {
            id: "e-tbd".into(),
            name: "2028 同窓会".into(),
            ..Default::default()
        });
        let mut s = state(data, lang);
        act(&mut s, [Action::PaneEvents]);
        let buf = draw(&s, W, H);
        let shot = text(&buf);
        let col = |needle: &str| in_list(&buf, needle).map(|(_, x, _)| x);
        let dated = col("2026 忘年会").expect("the dated event");
        assert_eq!(col("2028 同窓会"), Some(dated), "{lang:?}\n{shot}");
        assert_eq!(col("10周年パーティー"), Some(dated), "{lang:?}\n{shot}");
    }
}

/// The list marks no row but the selected one (a `▸` before every
/// upcoming event read as a second cursor); the selected event's detail
/// says how far off it is, in both languages, and nothing for a past one.
#[test]
fn upcoming_events_carry_no_cursor_like_mark_and_say_how_far_off_they_are() {
    for (lang, soon) in [
        (Lang::En, "2026-12-05 (in 12 days)"),
        (Lang::Ja, "2026-12-05 (あと 12 日)"),
    ] {
        let mut s = state(data(), lang);
        act(&mut s, [Action::PaneEvents]);
        let shot = screen(&s);
        assert!(!shot.contains('▸'), "{shot}");
        assert!(shot.contains(soon), "{lang:?}\n{shot}");
        act(&mut s, [Action::Down]);
        let shot = screen(&s);
        assert!(shot.contains("2016-11-19 · 渋谷"), "{lang:?}\n{shot}");
    }
    // Today and tomorrow in words.
    for (date, word) in [
        (d(2026, 11, 23), "(today)"),
        (d(2026, 11, 24), "(tomorrow)"),
    ] {
        let mut data = data();
        data.events[1].date = Some(date);
        let mut s = state(data, Lang::En);
        act(&mut s, [Action::PaneEvents]);
        let shot = screen(&s);
        assert!(shot.contains(&format!("{date} {word}")), "{shot}");
    }
}

/// The help wraps by display width with each description's later rows
/// under its first, scrolls to its last line and no further (G, j), and its
/// border says when there is more, in Japanese at an odd width too.
#[test]
fn help_wraps_under_its_descriptions_and_scrolls_to_its_last_line() {
    let (w, h) = (61, 24);
    let mut s = state_sized(data(), Lang::Ja, w, h);
    act(
        &mut s,
        [Action::PaneEvents, Action::FocusDetail, Action::Help],
    );
    let (buf, _) = draw_both(&s, w, h);
    let first = text(&buf);
    assert!(first.contains("↓ 続きあり"), "{first}");
    act(&mut s, [Action::Bottom]);
    let (buf, frame) = draw_both(&s, w, h);
    let bottom = text(&buf);
    let rows = lines(&buf);
    // The last filter's description, whole: its second row starts under
    // its first, not under the keys.
    let due = rows
        .iter()
        .position(|r| r.contains("due:"))
        .unwrap_or_else(|| panic!("due: at the bottom\n{bottom}"));
    let at = column_of(&rows[due], "親しさ").expect("the description");
    let next = rows[due + 1].trim_start_matches(['│', ' ']);
    assert_eq!(next.trim_end_matches(['│', ' ']), "ない", "{bottom}");
    assert_eq!(column_of(&rows[due + 1], "ない"), Some(at), "{bottom}");
    assert!(bottom.contains("↑ 上に続きあり"), "{bottom}");
    assert_eq!(drawn_under_wide_chars(&frame), vec![]);
    // Further down changes nothing, and one up moves at once.
    act(&mut s, [Action::Down, Action::Down, Action::PageDown]);
    assert_eq!(screen_sized(&s, w, h), bottom);
    act(&mut s, [Action::Up]);
    let up = screen_sized(&s, w, h);
    assert_ne!(up, bottom);
    assert!(up.contains("↑↓ 続きあり"), "{up}");
    act(&mut s, [Action::Top]);
    assert_eq!(screen_sized(&s, w, h), first);
}

/// People forgotten on request still count in the head count per part,
/// as they do per reply (and in the balance report).
#[test]
fn forgotten_guests_count_in_the_parts_too() {
    let mut data = data();
    let e = &mut data.events[1];
    e.parts = vec!["一次会".into(), "二次会".into()];
    e.invitations[0].status = InvitationStatus::Attended;
    e.invitations[0].attended_parts = vec!["一次会".into()];
    e.anonymous.insert(InvitationStatus::Attended, 2);
    e.anonymous_parts.insert("二次会".into(), 2);
    let mut s = state(data, Lang::En);
    act(&mut s, [Action::PaneEvents]);
    let shot = screen(&s);
    assert!(shot.contains("attended 3"), "{shot}");
    assert!(shot.contains("一次会 1  二次会 2"), "{shot}");
}

/// The last guest of a long list stays on screen however many lines the
/// event's notes, parts and counts take above the guests.
#[test]
fn the_last_guest_shows_under_a_heading_of_parts_and_counts() {
    let mut data = data();
    let e = &mut data.events[1];
    e.parts = vec!["一次会".into(), "二次会".into()];
    for n in 0..20 {
        e.invitations.push(invitation(
            &format!("p-guest-{n:02}"),
            InvitationStatus::Invited,
        ));
    }
    // 田中 came to both parts: listed last (attended), and counted per part.
    e.invitations[0].status = InvitationStatus::Attended;
    e.invitations[0].attended_parts = vec!["一次会".into(), "二次会".into()];
    let mut s = state(data, Lang::En);
    act(
        &mut s,
        [Action::PaneEvents, Action::FocusDetail, Action::Bottom],
    );
    let buf = draw(&s, W, H);
    let shot = text(&buf);
    assert!(shot.contains("Parts: 一次会, 二次会"), "{shot}");
    assert!(shot.contains("一次会 1  二次会 1"), "{shot}");
    let a = layout::areas(W, H);
    let y = (a.detail.y + 1..a.detail.y + a.detail.height - 1)
        .find(|&y| region(&buf, y, a.detail.x, a.detail.x + a.detail.width).contains("田中"))
        .unwrap_or_else(|| panic!("the last guest is off screen:\n{shot}"));
    let bg = widgets::selected().bg.expect("a selection background");
    assert_eq!(buf[(a.detail.x + 1, y)].bg, bg, "{shot}");
    // And the first again at the top.
    act(&mut s, [Action::Top]);
    let shot = screen(&s);
    assert!(shot.contains("p-guest-00"), "{shot}");
}

// ---------------------------------------------------------------------------
// Popups
// ---------------------------------------------------------------------------

#[test]
fn help_popup_in_people() {
    let shot = screen(&help_people_screen());
    assert!(shot.contains("Keys for People"), "{shot}");
    insta::assert_snapshot!("help_people", shot);
}

#[test]
fn help_popup_in_invitations() {
    let shot = screen(&help_invitations_screen());
    assert!(shot.contains("Keys for invitations"), "{shot}");
    assert!(shot.contains("mark accepted"), "{shot}");
    insta::assert_snapshot!("help_invitations", shot);
}

#[test]
fn delete_confirmation_popup() {
    let name = people_screen()
        .selected_person()
        .expect("someone selected")
        .name
        .clone();
    let shot = screen(&confirm_delete_screen());
    assert!(shot.contains(&format!("Delete {name}")), "{shot}");
    insta::assert_snapshot!("confirm_delete_person", shot);
}

#[test]
fn add_person_form_empty() {
    insta::assert_snapshot!("form_add_person_empty", screen(&add_person_screen()));
}

#[test]
fn add_person_form_with_a_bad_date() {
    let shot = screen(&add_person_bad_date_screen());
    assert!(shot.contains("no such day"), "{shot}");
    insta::assert_snapshot!("form_add_person_bad_date", shot);
}

/// 田中's edit form at `w`x`h`, with notes from a CSV cell (CRLF, longer
/// than a line), walked to `field`.
fn edit_tanaka_screen(w: u16, h: u16, field: FieldKey) -> State {
    let mut data = data();
    data.people[0].notes = "Led the first web team. Organised the 2016 reunion with everyone \
                            from the 2001 cohort.\r\nKeeps in touch with the Osaka office."
        .into();
    let mut s = state_sized(data, Lang::En, w, h);
    act(&mut s, [Action::Search]);
    type_text(&mut s, "kenta");
    act(&mut s, [Action::Confirm, Action::Edit]);
    for _ in 0..64 {
        if focused_field(&s) == field {
            break;
        }
        act(&mut s, [Action::NextField]);
    }
    assert_eq!(focused_field(&s), field);
    s
}

/// The row of the screen that shows `needle`.
fn row_with<'a>(shot: &'a str, needle: &str) -> &'a str {
    shot.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{shot}"))
}

#[test]
fn notes_typed_at_the_end_show_with_the_cursor_at_80_and_120() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut s = edit_tanaka_screen(w, h, FieldKey::Notes);
        type_text(&mut s, " Call again in spring.");
        let shot = screen_sized(&s, w, h);
        // The line break shows as one, never as an escape; the end typed
        // and the cursor are on screen.
        assert!(!shot.contains("\\u{"), "{shot}");
        assert!(shot.contains("spring.▏"), "{shot}");
        assert!(row_with(&shot, "Led the first").contains("Notes"), "{shot}");
        assert!(shot.contains("Keeps in touch"), "{shot}");
        insta::assert_snapshot!(format!("form_edit_notes_typed_{w}x{h}"), shot);
    }
}

#[test]
fn notes_not_focused_show_their_first_lines() {
    let s = edit_tanaka_screen(80, 24, FieldKey::LastContacted);
    let shot = screen(&s);
    assert!(!shot.contains("\\u{"), "{shot}");
    assert!(
        row_with(&shot, "Notes").contains("Led the first web team."),
        "{shot}"
    );
    insta::assert_snapshot!("form_edit_notes_unfocused", shot);
}

#[test]
fn a_long_japanese_value_scrolls_to_the_cursor_by_cells() {
    let mut s = edit_tanaka_screen(80, 24, FieldKey::Company);
    act(&mut s, [Action::ClearField]);
    type_text(
        &mut s,
        "株式会社ものすごく長い会社名の東京本社営業企画部第二課",
    );
    // screen() checks every row is exactly 80 cells: no wide character split.
    let shot = screen(&s);
    let row = row_with(&shot, "Company");
    assert!(row.contains("…"), "{row}");
    assert!(row.contains("営業企画部第二課▏"), "{row}");
    insta::assert_snapshot!("form_company_scrolled", shot);
}

#[test]
fn a_choice_field_shows_its_labels_with_the_chosen_one_marked() {
    let s = edit_tanaka_screen(80, 24, FieldKey::Closeness);
    let buf = draw(&s, W, H);
    let shot = text(&buf);
    let row = row_with(&shot, "Closeness");
    assert!(row.contains(" close   in touch   distant   lost "), "{row}");
    // Close is 田中's: drawn selected; the others dim.
    let y = lines(&buf)
        .iter()
        .position(|l| l.contains("Closeness"))
        .unwrap() as u16;
    let x = (0..W)
        .find(|&x| region(&buf, y, x, x + 7) == " close ")
        .expect("close on the row");
    assert_eq!(
        buf[(x + 1, y)].style().bg,
        Some(widgets::selected().bg.unwrap())
    );
    let x = (0..W)
        .find(|&x| region(&buf, y, x, x + 6) == " lost ")
        .unwrap();
    assert_ne!(
        buf[(x + 1, y)].style().bg,
        Some(widgets::selected().bg.unwrap())
    );
    insta::assert_snapshot!("form_choice_focused", screen(&s));
}

#[test]
fn esc_on_a_changed_form_asks_in_its_footer() {
    let mut s = edit_tanaka_screen(80, 24, FieldKey::Company);
    type_text(&mut s, " Japan");
    let shot = screen(&s);
    assert!(shot.contains("Esc cancel (asks first)"), "{shot}");
    act(&mut s, [Action::Cancel]);
    let shot = screen(&s);
    assert!(
        shot.contains("Discard your changes to 田中 健太? y discard · n keep editing"),
        "{shot}"
    );
    // The status line says it too, not the generic confirm and cancel.
    let status = lines(&draw(&s, W, H)).pop().unwrap();
    assert!(status.contains("y discard · n keep editing"), "{status}");
    assert!(!status.contains("cancel"), "{status}");
    insta::assert_snapshot!("form_discard_question", shot);
}

/// At 80x24 an email address wider than the detail's value column is kept
/// whole on a line of its own, never split in the middle.
#[test]
fn a_long_email_is_kept_whole_in_the_detail() {
    let mut data = data();
    let emma = data.people.iter_mut().find(|p| p.id == "p-emma").unwrap();
    emma.emails = smallvec::smallvec![
        "emma@example.com".into(),
        "emma.johnson@figma-design.co.uk".into(),
    ];
    let s = state(data, Lang::En);
    let rows = lines(&draw(&s, W, H));
    let shot = rows.join("\n");
    assert!(
        rows.iter()
            .any(|r| r.contains("emma.johnson@figma-design.co.uk")),
        "{shot}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("Emails       emma@example.com,")),
        "{shot}"
    );
}

#[test]
fn invite_picker_shows_consent_no() {
    // The upcoming event is first; 佐藤 (consent no) is not invited to it.
    let shot = screen(&invite_picker_screen());
    assert!(shot.contains("[✗] 佐藤 美咲"), "{shot}");
    insta::assert_snapshot!("picker_invite", shot);
}

/// Esc on the picker's empty search line with people chosen asks in its
/// last line, and the status line says what y and n do there.
#[test]
fn invite_picker_asks_before_dropping_the_people_chosen() {
    // The past event: 山田 and 鈴木 were not invited to it.
    let mut s = events_screen();
    act(&mut s, [Action::Down, Action::Invite, Action::Toggle]);
    let Some(Popup::Picker(p)) = &s.popup else {
        panic!("the picker is open")
    };
    assert_eq!(p.chosen.len(), 1);
    act(&mut s, [Action::Cancel]);
    let rows = lines(&draw(&s, W, H));
    let shot = rows.join("\n");
    assert!(
        shot.contains("Drop 1 chosen? y drop · n keep choosing"),
        "{shot}"
    );
    let status = rows.last().unwrap();
    assert!(status.contains("y drop · n keep choosing"), "{status}");
    assert!(!status.contains("cancel"), "{status}");
    insta::assert_snapshot!("picker_drop_question", screen(&s));
}

// ---------------------------------------------------------------------------
// Empty states and small windows
// ---------------------------------------------------------------------------

fn empty_screen(pane: Action) -> State {
    let mut s = state(Data::default(), Lang::En);
    act(&mut s, [pane]);
    s
}

#[test]
fn empty_roster_people() {
    let shot = screen(&empty_screen(Action::PanePeople));
    assert!(shot.contains("No alumni yet"), "{shot}");
    insta::assert_snapshot!("empty_people", shot);
}

#[test]
fn empty_roster_cohorts() {
    let shot = screen(&empty_screen(Action::PaneCohorts));
    assert!(shot.contains("No cohorts yet"), "{shot}");
    insta::assert_snapshot!("empty_cohorts", shot);
}

#[test]
fn empty_roster_events() {
    let shot = screen(&empty_screen(Action::PaneEvents));
    assert!(shot.contains("No events yet"), "{shot}");
    insta::assert_snapshot!("empty_events", shot);
}

#[test]
fn window_below_the_minimum_size() {
    let (w, h) = (50, 12);
    assert!(layout::too_small(w, h));
    let s = state_sized(data(), Lang::En, w, h);
    let shot = screen_sized(&s, w, h);
    assert!(shot.contains(&layout::MIN_WIDTH.to_string()), "{shot}");
    insta::assert_snapshot!("too_small_50x12", shot);
}

// ---------------------------------------------------------------------------
// Long and wide names
// ---------------------------------------------------------------------------

fn long_and_wide() -> Data {
    let long = "Maximilian Alexander Bartholomew Fitzgerald-Worthington Jr.";
    let long = format!("{long}{}", "x".repeat(60 - long.chars().count()));
    assert_eq!(long.chars().count(), 60);
    let mut people = people();
    people.push(Person {
        id: "p-long".into(),
        name: long.into(),
        company: "A Very Long Company Name Incorporated".into(),
        stints: smallvec::smallvec![stint(
            (2005, 4, 1),
            Some((2009, 3, 31)),
            "Research and Development",
            "",
        )],
        ..Default::default()
    });
    people.push(Person {
        id: "p-wide".into(),
        name: "🍣寿司🍺ビール大好き🎉長谷川 翔太郎".into(),
        reading: "はせがわ しょうたろう".into(),
        nickname: "ハセ🍣".into(),
        company: "株式会社ものすごく長い会社名".into(),
        consent: Consent::No,
        stints: smallvec::smallvec![stint((2007, 4, 1), None, "営業企画部", "")],
        ..Default::default()
    });
    people.push(Person {
        id: "p-kanji".into(),
        // 30 kanji: 60 columns.
        name: "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末".into(),
        reading: "じゅげむ じゅげむ ごこうのすりきれ".into(),
        stints: smallvec::smallvec![stint((2011, 4, 1), None, "総務", "")],
        ..Default::default()
    });
    Data {
        people,
        cohorts: cohorts(),
        events: events(),
    }
}

#[test]
fn long_and_wide_names_truncate_without_breaking_columns() {
    let s = state(long_and_wide(), Lang::En);
    let buf = draw(&s, W, H);
    // Every row is exactly the screen's width.
    for (y, l) in lines(&buf).iter().enumerate() {
        assert_eq!(UnicodeWidthStr::width(l.as_str()), W as usize, "row {y}");
    }
    let a = layout::areas(W, H);
    let (left, right) = (a.list.x + 1, a.list.x + a.list.width - 1);
    let header = region(&buf, a.list.y + 1, left, right);
    let join_col = column_of(&header, "Join").expect("the Join header");
    let reading_col = column_of(&header, "Reading").expect("the Reading header");
    let first = a.list.y + 2;
    let shown = s.people.rows.len() as u16;
    assert_eq!(shown, 8);
    for y in first..first + shown {
        // The list's row fills its inner width exactly, and the right
        // border stays in its column...
        let row = region(&buf, y, left, right);
        assert_eq!(
            UnicodeWidthStr::width(row.as_str()),
            (right - left) as usize,
            "{row:?}"
        );
        assert_eq!(buf[(right, y)].symbol(), "│", "row {y}");
        // ...the first-joined year sits under its header...
        let year = row
            .char_indices()
            .find(|&(b, _)| {
                row.get(b..b + 4)
                    .is_some_and(|y| y.bytes().all(|x| x.is_ascii_digit()))
            })
            .map(|(b, _)| UnicodeWidthStr::width(&row[..b]));
        assert_eq!(year, Some(join_col), "{row:?}");
        // ...and the reading column starts right after it, even when the
        // name before it was cut in the middle of a wide character.
        let person = &s.data.people[s.people.row((y - first) as usize)];
        if let Some(start) = person.reading.chars().next() {
            // Searched after the year, so a name cannot match first.
            let after_year = row.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
            let col = row[after_year..]
                .find(start)
                .map(|b| UnicodeWidthStr::width(&row[..after_year + b]));
            assert_eq!(col, Some(reading_col), "{row:?}");
        }
    }
    // The long names are cut with an ellipsis, not wrapped or overflowing.
    for name in ["Maximilian Alex", "🍣寿司🍺", "寿限無寿限無"] {
        let (y, _, _) = in_list(&buf, name).unwrap_or_else(|| panic!("{name} is listed"));
        let row = region(&buf, y, left, right);
        assert!(row.contains('…'), "{row:?}");
    }
    // In the detail, a long name who overlapped gives way: how long they
    // were together stays on the name's line.
    let together: Vec<String> = lines(&buf)
        .iter()
        .filter(|l| l.contains("years together"))
        .cloned()
        .collect();
    assert_eq!(together.len(), 3, "{}", text(&buf));
    for l in &together {
        let detail = l.rsplit('│').nth(1).unwrap_or_default().trim_start();
        assert!(
            !detail.starts_with(|c: char| c.is_ascii_digit()),
            "a line of its own: {l:?}"
        );
    }
    insta::assert_snapshot!("long_and_wide_names", text(&buf));
}

fn wide_name_selected_screen() -> State {
    let mut s = state(long_and_wide(), Lang::En);
    let at = s
        .people
        .rows
        .iter()
        .position(|&i| s.data.people[i as usize].id == "p-wide")
        .expect("listed");
    act(&mut s, (0..at).map(|_| Action::Down));
    assert_eq!(s.selected_person().map(|p| p.id.as_str()), Some("p-wide"));
    s
}

#[test]
fn wide_name_selected_shows_detail() {
    let shot = screen(&wide_name_selected_screen());
    assert!(shot.contains("Asked not to be contacted"), "{shot}");
    insta::assert_snapshot!("wide_name_selected", shot);
}

/// Names whose emoji are grapheme sequences: a text-style symbol made an
/// emoji by VS16 (`❤️`, two columns on screen, though its two chars are
/// 1 + 0 columns wide one by one), and flags (two regional indicators each)
/// too many for the name column.
fn emoji_sequences() -> Data {
    let mut data = data();
    data.people.push(Person {
        id: "p-heart".into(),
        name: "Ai ❤️ Tokyo".into(),
        reading: "あい".into(),
        stints: smallvec::smallvec![stint((2009, 4, 1), None, "PR", "")],
        ..Default::default()
    });
    data.people.push(Person {
        id: "p-flag".into(),
        name: "Ken 🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵🇯🇵".into(),
        reading: "けん".into(),
        stints: smallvec::smallvec![stint((2013, 4, 1), None, "Global", "")],
        ..Default::default()
    });
    data
}

#[test]
fn emoji_sequences_keep_the_columns_aligned() {
    let s = state(emoji_sequences(), Lang::En);
    let buf = draw(&s, W, H);
    let a = layout::areas(W, H);
    let (left, right) = (a.list.x + 1, a.list.x + a.list.width - 1);
    let header = region(&buf, a.list.y + 1, left, right);
    let join_col = column_of(&header, "Join").expect("the Join header");
    let close_col = column_of(&header, "Close").expect("the Close header");
    for name in ["Ai ❤️", "Ken 🇯🇵"] {
        let (y, _, _) = in_list(&buf, name).unwrap_or_else(|| panic!("{name} is listed"));
        let row = region(&buf, y, left, right);
        assert_eq!(
            UnicodeWidthStr::width(row.as_str()),
            (right - left) as usize
        );
        let year = row.find("20").map(|b| UnicodeWidthStr::width(&row[..b]));
        assert_eq!(year, Some(join_col), "{row:?}");
        let close = row
            .find("in touch")
            .map(|b| UnicodeWidthStr::width(&row[..b]));
        assert_eq!(close, Some(close_col), "{row:?}");
        // A flag is two regional indicators: a cut must not split one.
        let indicators = row
            .chars()
            .filter(|c| ('\u{1F1E6}'..='\u{1F1FF}').contains(c))
            .count();
        assert!(indicators % 2 == 0, "half a flag left in {row:?}");
    }
}

#[test]
fn nothing_is_drawn_under_half_of_a_wide_character() {
    let screens: Vec<(&str, State)> = vec![
        ("people", people_screen()),
        ("people ja", state(data(), Lang::Ja)),
        ("search", search_screen("em")),
        ("cohorts", cohorts_screen()),
        ("events", events_screen()),
        ("invitations", invitations_screen()),
        ("help people", help_people_screen()),
        ("help invitations", help_invitations_screen()),
        ("confirm delete", confirm_delete_screen()),
        ("add person", add_person_screen()),
        ("add person bad date", add_person_bad_date_screen()),
        ("invite picker", invite_picker_screen()),
        ("long and wide", state(long_and_wide(), Lang::En)),
        ("wide selected", wide_name_selected_screen()),
    ];
    let mut bad = Vec::new();
    for (name, s) in &screens {
        let (_, frame) = draw_both(s, W, H);
        for (x, y, what) in drawn_under_wide_chars(&frame) {
            bad.push(format!("{name}: ({x}, {y}) {what}"));
        }
    }
    assert!(
        bad.is_empty(),
        "drawn where a wide character hides it:\n{}",
        bad.join("\n")
    );
}

// ---------------------------------------------------------------------------
// Styles the snapshots cannot see
// ---------------------------------------------------------------------------

/// Whether every visible cell of the list's inner row `y` has the
/// selection background.
fn row_selected(buf: &Buffer, y: u16) -> bool {
    let a = layout::areas(W, H);
    let bg = widgets::selected()
        .bg
        .expect("the selection has a background");
    visible_cells(buf, y)
        .into_iter()
        .filter(|&(x, _)| x > a.list.x && x < a.list.x + a.list.width - 1)
        .all(|(x, _)| buf[(x, y)].bg == bg)
}

#[test]
fn selection_background_follows_the_cursor() {
    let mut s = state(data(), Lang::En);
    let a = layout::areas(W, H);
    // Border, then the header row, then the first person.
    let first = a.list.y + 2;
    let buf = draw(&s, W, H);
    assert!(!row_selected(&buf, first - 1), "the header is not selected");
    assert!(row_selected(&buf, first));
    assert!(!row_selected(&buf, first + 1));

    act(&mut s, [Action::Down]);
    let buf = draw(&s, W, H);
    assert!(!row_selected(&buf, first));
    assert!(row_selected(&buf, first + 1));
    assert!(!row_selected(&buf, first + 2));
    // The selected row is the person whose details are shown.
    let name = &s.selected_person().expect("selected").name;
    assert_eq!(in_list(&buf, name).map(|(y, _, _)| y), Some(first + 1));

    act(&mut s, [Action::Bottom]);
    let last = first + s.people.rows.len() as u16 - 1;
    let buf = draw(&s, W, H);
    assert!(row_selected(&buf, last));
    assert!((first..last).all(|y| !row_selected(&buf, y)));
}

#[test]
fn search_highlights_matched_characters_of_the_name() {
    let mut s = state(data(), Lang::En);
    act(&mut s, [Action::Search]);
    type_text(&mut s, "emma");
    let buf = draw(&s, W, H);
    let yellow = widgets::highlight().fg;
    assert_eq!(yellow, Some(Color::Yellow));
    let (y, x0, x1) = in_list(&buf, "Emma Johnson").expect("Emma is listed");
    for x in x0..x0 + 4 {
        assert_eq!(Some(buf[(x, y)].fg), yellow, "{:?}", buf[(x, y)].symbol());
    }
    for x in x0 + 4..x1 {
        assert_ne!(Some(buf[(x, y)].fg), yellow, "{:?}", buf[(x, y)].symbol());
    }
    // Nothing is highlighted without a search.
    act(&mut s, [Action::Cancel]);
    let buf = draw(&s, W, H);
    let (y, x0, x1) = in_list(&buf, "Emma Johnson").expect("Emma is listed");
    assert!((x0..x1).all(|x| Some(buf[(x, y)].fg) != yellow));

    // A nickname in katakana is matched (and highlighted) by hiragana.
    act(&mut s, [Action::Search]);
    type_text(&mut s, "けん");
    let buf = draw(&s, W, H);
    let (y, x0, x1) = in_list(&buf, "ケン").expect("田中 (ケン) is listed");
    for x in (x0..x1).step_by(2) {
        assert_eq!(Some(buf[(x, y)].fg), yellow, "{:?}", buf[(x, y)].symbol());
    }
    let (ny, nx0, nx1) = in_list(&buf, "田中").expect("田中 is listed");
    assert_eq!(ny, y);
    assert!((nx0..nx1).all(|x| Some(buf[(x, y)].fg) != yellow));
}

#[test]
fn active_tab_is_styled_apart_from_the_others() {
    let mut s = state(data(), Lang::En);
    let a = layout::areas(W, H);
    let spans = layout::tab_spans(Lang::En);
    assert_eq!(spans.len(), Pane::ALL.len());
    let switch = [Action::PanePeople, Action::PaneCohorts, Action::PaneEvents];
    for (i, go) in switch.into_iter().enumerate() {
        act(&mut s, [go]);
        assert_eq!(s.pane, Pane::ALL[i]);
        let buf = draw(&s, W, H);
        let style_of = |j: usize| buf[(spans[j].0 + 1, a.tabs.y)].style();
        for (j, &(x0, x1)) in spans.iter().enumerate() {
            // One style over a whole tab title.
            let first = buf[(x0, a.tabs.y)].style();
            assert!((x0..x1).all(|x| buf[(x, a.tabs.y)].style() == first));
            if j != i {
                assert_ne!(style_of(i), style_of(j), "tab {i} vs {j}");
                assert_eq!(buf[(x0, a.tabs.y)].bg, Color::Reset);
            }
        }
        assert_ne!(buf[(spans[i].0, a.tabs.y)].bg, Color::Reset);
    }
}

// ---------------------------------------------------------------------------
// Reunion planning: the balance report and the suggestions
// ---------------------------------------------------------------------------

#[test]
fn balance_report_panel() {
    let mut s = events_screen();
    act(&mut s, [Action::Balance]);
    let shot = screen(&s);
    let r = s
        .report
        .as_ref()
        .expect("the report is computed when shown");
    // Every generation row of the report is on screen, and the tenure chart
    // lists every guest who is coming.
    for g in &r.generations {
        assert!(shot.contains(&g.band), "{}: {shot}", g.band);
    }
    for guest in &r.attending {
        let name = &s.person(&guest.person).unwrap().name;
        let short: String = name.chars().take(3).collect();
        assert!(shot.contains(&short), "{name}: {shot}");
    }
    // The status line offers the report's own keys, not the event list's.
    let status = lines(&draw(&s, W, H)).pop().unwrap();
    assert!(
        status.contains("j/k scroll · b/Esc close · s suggest"),
        "{status}"
    );
    for list_key in ["invite", "open", "search"] {
        assert!(!status.contains(list_key), "{list_key}: {status}");
    }
    insta::assert_snapshot!("balance_report", shot);
    // Opened from the guest list, where `h` goes back too, it still says Esc.
    let mut s = invitations_screen();
    act(&mut s, [Action::Balance]);
    let status = lines(&draw(&s, W, H)).pop().unwrap();
    assert!(status.contains("b/Esc close"), "{status}");
}

/// `?` over the balance report lists the report's keys (scroll, close,
/// suggest, panes, quit), not those of the event list under it; from the
/// guest list too, where the keys that go back close it as well.
#[test]
fn help_over_the_balance_report_lists_the_reports_keys() {
    let list_keys = ["│a ", "│e ", "│d ", "│i ", "│u ", "│Enter, l, →", "│/ "];
    let mut s = events_screen();
    act(&mut s, [Action::Balance, Action::Help]);
    let rows = lines(&draw(&s, W, H));
    let shot = rows.join("\n");
    assert!(shot.contains("Keys for the balance report"), "{shot}");
    for want in [
        "│j, ↓              scroll down",
        "│k, ↑              scroll up",
        "│Ctrl-D, PgDn      scroll a page down",
        "│g, Home           to the top of the report",
        "│b, Esc            close the report",
        "│s                 suggest whom to invite",
        "│q, Ctrl-C         quit",
    ] {
        assert!(shot.contains(want), "{want:?} not in\n{shot}");
    }
    for key in list_keys {
        assert!(!shot.contains(key), "{key:?} in\n{shot}");
    }
    insta::assert_snapshot!("help_balance_report", shot);
    // Help closes back onto the report.
    act(&mut s, [Action::Cancel]);
    assert!(s.popup.is_none() && s.balance);

    let mut s = invitations_screen();
    act(&mut s, [Action::Balance, Action::Help]);
    let shot = screen(&s);
    assert!(
        shot.contains("│b, h, ←, Esc      close the report"),
        "{shot}"
    );
    for key in list_keys.iter().chain(&["│y ", "│x "]) {
        assert!(!shot.contains(key), "{key:?} in\n{shot}");
    }

    let mut s = state(data(), Lang::Ja);
    act(&mut s, [Action::PaneEvents, Action::Balance, Action::Help]);
    let shot = screen(&s);
    assert!(shot.contains("バランス表のキー"), "{shot}");
    assert!(
        shot.contains("│b, Esc            バランス表を閉じる"),
        "{shot}"
    );
    assert!(!shot.contains("│i "), "{shot}");
}

/// At 61 columns the numbers' table keeps each generation on one row
/// (its columns wrapped under each other: 'att' and '0 !' alone on the
/// next row), and nothing is drawn under half a wide character.
#[test]
fn balance_report_table_whole_at_61_columns() {
    for lang in [Lang::En, Lang::Ja] {
        let mut s = state_sized(data(), lang, 61, H);
        act(&mut s, [Action::PaneEvents, Action::Balance]);
        let (buf, frame) = draw_both(&s, 61, H);
        let shot = text(&buf);
        let rows = lines(&buf);
        let row = rows
            .iter()
            .find(|r| r.contains("1995-1999"))
            .unwrap_or_else(|| panic!("{shot}"));
        assert!(row.contains("1995-1999      1    1    0    0 !"), "{shot}");
        assert_eq!(drawn_under_wide_chars(&frame), vec![], "{shot}");
    }
}

#[test]
fn suggestions_popup() {
    let mut s = events_screen();
    act(&mut s, [Action::Suggest]);
    let shot = screen(&s);
    // 佐藤 美咲 said no to contact: never suggested.
    assert!(!shot.contains("佐藤 美咲"), "{shot}");
    insta::assert_snapshot!("suggestions", shot);
}

/// At 80x24 each suggestion's reason reads whole: it wraps under itself
/// in the reason column instead of being cut at the popup's edge.
#[test]
fn suggestion_reasons_read_whole_at_80_columns() {
    let mut data = data();
    // Only 田中 is coming: the others are suggested, with long reasons
    // (山田, whose consent is unknown; Emma, distant now).
    data.events[1].invitations = vec![invitation("p-tanaka", InvitationStatus::Accepted)];
    let emma = data.people.iter_mut().find(|p| p.id == "p-emma").unwrap();
    emma.closeness = Closeness::Distant;
    let mut s = state(data, Lang::En);
    act(&mut s, [Action::PaneEvents, Action::Suggest]);
    let Some(Popup::Suggestions(sg)) = &s.popup else {
        panic!("the suggestions are open")
    };
    assert!(sg.list.len() >= 2, "{:?}", sg.list);
    let reasons: Vec<String> = sg
        .list
        .iter()
        .map(|x| match x.consent_unknown {
            true => format!("{} (consent unknown: ask first)", x.reason),
            false => x.reason.clone(),
        })
        .collect();
    assert!(
        reasons.iter().filter(|r| r.chars().count() > 57).count() >= 2,
        "reasons wider than the column: {reasons:?}"
    );
    let buf = draw(&s, W, H);
    // The popup's inner area is x 3..77; the reasons start after the
    // names' 16 cells and a space.
    let column: Vec<String> = (2..H - 3)
        .map(|y| region(&buf, y, 20, 77).trim().to_string())
        .filter(|r| !r.is_empty())
        .collect();
    let shown = column.join(" ");
    for reason in &reasons {
        assert!(
            shown.contains(reason),
            "{reason:?} not whole in\n{}",
            text(&buf)
        );
    }
    insta::assert_snapshot!("suggestions_wrapped", text(&buf));
}

/// In Japanese the suggestions say why in Japanese, naming the same people,
/// generations and dates, and no English reason is left among the labels.
#[test]
fn suggestion_reasons_are_in_japanese_in_japanese() {
    let mut data = data();
    // 田中 and 大野 are coming and overlapped nobody else coming; 山口
    // overlapped both: a bridge (for 田中 first). Emma is distant now.
    for (id, name, joined, left) in [
        ("p-ono", "大野 里美", (1990, 4, 1), (1994, 3, 31)),
        ("p-yamaguchi", "山口 昭", (1991, 4, 1), (2003, 3, 31)),
    ] {
        data.people.push(Person {
            id: id.into(),
            name: name.into(),
            consent: Consent::Yes,
            closeness: Closeness::InTouch,
            stints: smallvec::smallvec![stint(joined, Some(left), "Web", "")],
            ..Default::default()
        });
    }
    data.events[1].invitations = vec![
        invitation("p-tanaka", InvitationStatus::Accepted),
        invitation("p-ono", InvitationStatus::Accepted),
    ];
    let emma = data.people.iter_mut().find(|p| p.id == "p-emma").unwrap();
    emma.closeness = Closeness::Distant;
    emma.last_contacted = Some(d(2023, 5, 1));
    let mut s = state(data, Lang::Ja);
    act(&mut s, [Action::PaneEvents, Action::Suggest]);
    let Some(Popup::Suggestions(sg)) = &s.popup else {
        panic!("the suggestions are open")
    };
    let english: Vec<String> = sg.list.iter().map(|x| x.reason.clone()).collect();
    let buf = draw(&s, W, H);
    let shot = text(&buf);
    // The reason column, its rows joined (Japanese wraps between any two
    // characters, so the spaces at the breaks are not compared).
    let column: String = (2..H - 3)
        .map(|y| region(&buf, y, 20, 77).trim().to_string())
        .collect::<Vec<_>>()
        .concat()
        .replace(' ', "");
    for want in [
        "1995-1999 入社世代の招待者がまだいない（連絡可否不明のため先に確認）",
        "田中 健太さんと在籍時期が重なる（田中さんは参加者に知り合いがいない）",
        "疎遠（最終連絡 2023-05-01）。同窓会は再びつながるきっかけになる",
    ] {
        assert!(
            column.contains(&want.replace(' ', "")),
            "{want:?} not in\n{shot}"
        );
    }
    for words in [
        "nobody from",
        "invited yet",
        "worked at the same time",
        "knows nobody",
        "a reunion is",
        "last contact",
        "never contacted",
        "consent unknown",
    ] {
        assert!(!shot.contains(words), "{words:?} in\n{shot}");
    }
    // The suggestions themselves still carry the English words, for
    // `alumni suggest` and its JSON.
    assert!(
        english
            .iter()
            .any(|r| r == "worked at the same time as 田中 健太, who knows nobody else coming"),
        "{english:?}"
    );
    // Nothing is drawn under half of a wide character.
    let (_, frame) = draw_both(&s, W, H);
    assert_eq!(drawn_under_wide_chars(&frame), vec![], "{shot}");
}

/// When the wrapped suggestions are taller than the popup, the selected
/// one is kept on screen, all its rows.
#[test]
fn the_selected_suggestion_stays_on_screen_when_they_wrap() {
    let mut data = data();
    data.events[1].invitations = vec![invitation("p-tanaka", InvitationStatus::Accepted)];
    for k in 0..12 {
        data.people.push(Person {
            id: format!("p-far-{k}").into(),
            name: format!("Far Person {k:02}").into(),
            consent: Consent::Yes,
            closeness: Closeness::Distant,
            stints: smallvec::smallvec![stint((2001, 4, 1), Some((2003, 3, 31)), "Web", "")],
            ..Default::default()
        });
    }
    let mut s = state(data, Lang::En);
    act(&mut s, [Action::PaneEvents, Action::Suggest]);
    let Some(Popup::Suggestions(sg)) = &s.popup else {
        panic!("the suggestions are open")
    };
    let n = sg.list.len();
    assert!(n >= 10, "{n}");
    let last = s.person(&sg.list[n - 1].person).unwrap().name.to_string();
    act(&mut s, std::iter::repeat_n(Action::Down, n));
    let rows = lines(&draw(&s, W, H));
    let shot = rows.join("\n");
    let at = rows
        .iter()
        .position(|r| r.contains(&last))
        .unwrap_or_else(|| panic!("{last} is not on screen:\n{shot}"));
    // Its reason's second row is on screen too, above the keys' row.
    assert!(rows[at + 1].contains("back"), "{shot}");
    assert!(rows[at + 2].contains("Enter invite"), "{shot}");
}

// ---------------------------------------------------------------------------
// Hostile text
// ---------------------------------------------------------------------------

/// Every kind of text that could drive a terminal, in every field shown.
const HOSTILE: &str =
    "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}31m\u{202e}evil\u{200b}\0x";

#[test]
fn hostile_text_is_shown_visibly_and_never_reaches_the_terminal() {
    let mut data = data();
    let p = &mut data.people[0];
    p.name = format!("Mallory {HOSTILE}").into();
    p.nickname = HOSTILE.into();
    p.reading = HOSTILE.into();
    p.company = HOSTILE.into();
    p.notes = format!("{HOSTILE}\n{}", "長".repeat(10_000)).into();
    p.tags = thin_vec::thin_vec![HOSTILE.into()];
    p.emails = smallvec::smallvec![format!("{HOSTILE}@example.jp").into()];
    p.stints[0].department = HOSTILE.into();
    data.cohorts[0].name = HOSTILE.into();
    data.events[0].name = HOSTILE.into();
    data.events[0].venue = HOSTILE.into();
    let mut s = state(data, Lang::En);
    act(&mut s, [Action::Search]);
    type_text(&mut s, "mallory");
    let mut screens = vec![draw(&s, W, H)];
    act(&mut s, [Action::Confirm, Action::PaneCohorts]);
    screens.push(draw(&s, W, H));
    act(&mut s, [Action::PaneEvents]);
    screens.push(draw(&s, W, H));
    for buf in &screens {
        let shown = text(buf);
        let harmful = |c: char| {
            (c.is_control() && c != '\n')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || c == '\u{200b}'
        };
        if let Some(c) = shown.chars().find(|&c| harmful(c)) {
            panic!("{c:?} reached the screen:\n{shown}");
        }
        // Every row still fits the window: the layout never breaks.
        for l in lines(buf) {
            assert_eq!(UnicodeWidthStr::width(l.as_str()), W as usize, "{l:?}");
        }
    }
    // What was there is shown, visibly: the escape as text.
    let people = text(&screens[0]);
    assert!(people.contains("Mallory"), "{people}");
    assert!(people.contains("\\u{1b}"), "{people}");
}

/// The question before an erasure is whole, however long (it grows to fit
/// its text), in both languages, at 80x24 and on a narrow terminal, with
/// nothing drawn under a wide character.
#[test]
fn the_erase_question_is_shown_whole() {
    for lang in [Lang::En, Lang::Ja] {
        for (w, h) in [(80, 24), (61, 24), (60, 15)] {
            let mut s = state_sized(data(), lang, w, h);
            act(&mut s, [Action::Forget]);
            let Some(Popup::Confirm { message, .. }) = &s.popup else {
                panic!("{:?}", s.popup)
            };
            let (shown, frame) = draw_both(&s, w, h);
            // The popup's inside: from its title row down to its bottom
            // border, between its side borders.
            let title = if lang == Lang::En {
                "Confirm"
            } else {
                "確認"
            };
            let top = (0..h)
                .find(|&y| lines(&shown)[y as usize].contains(&format!("┌ {title} ")))
                .unwrap_or_else(|| panic!("{lang:?} {w}x{h}: no box\n{}", text(&shown)));
            let cells = visible_cells(&shown, top);
            let left = cells
                .iter()
                .find(|(x, c)| *c == "┌" && region(&shown, top, *x + 2, w).starts_with(title))
                .map(|&(x, _)| x)
                .unwrap();
            let right = cells.iter().rev().find(|(_, c)| *c == "┐").unwrap().0;
            let mut inside = String::new();
            for y in top + 1..h {
                if region(&shown, y, left, left + 1) == "└" {
                    break;
                }
                inside.push_str(&region(&shown, y, left + 1, right));
            }
            let squeezed = |t: &str| t.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(
                squeezed(&inside),
                squeezed(message),
                "{lang:?} {w}x{h}: not all of {message:?}\n{}",
                text(&shown)
            );
            assert_eq!(drawn_under_wide_chars(&frame), vec![], "{lang:?} {w}x{h}");
        }
    }
}
