//! Hostile input never panics and never hangs: every parser (CSV, vCard,
//! JSON, the search line's query syntax, the config file and its keymap)
//! takes arbitrary bytes and answers with data or a clear error. Inputs mix
//! random bytes with the pieces each format is made of, so the parsers get
//! past their first line. (cargo-fuzz targets for longer runs: fuzz/.)

use alumni::import::{Format, Options, import_bytes};
use alumni::search::{Index, Query, highlight, rank};
use alumni::store::Store;
use indicatif::ProgressBar;
use proptest::prelude::*;

/// Text built from a format's own pieces, plus noise.
fn pieces(parts: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(parts).prop_map(|s| s.as_bytes().to_vec()),
            1 => proptest::collection::vec(any::<u8>(), 0..8),
            1 => any::<String>().prop_map(String::into_bytes),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

const CSV: &[&str] = &[
    "name,reading,nickname,email,phone,department,role,joined,left,company,tags,consent,closeness,last_contacted,id\n",
    "氏名,ふりがな,入社日,退職日,メール\n",
    "sep=;\n",
    "\u{feff}",
    ",",
    ";",
    "\t",
    "\"",
    "\"\"",
    "\r\n",
    "\r",
    "\n",
    "田中 健太",
    "ｻﾄｳ ｲﾁﾛｳ",
    "たなか けんた",
    "ken@example.jp",
    "2001-04-01",
    "2001/4/1",
    "2001年4月1日",
    "２００１年４月",
    "2001-13-01",
    "yes",
    "否",
    "疎遠",
    "p-7",
    "\u{1b}[2J",
    "\u{202e}",
    "\0",
];

const VCARD: &[&str] = &[
    "BEGIN:VCARD\r\n",
    "END:VCARD\r\n",
    "VERSION:2.1\r\n",
    "VERSION:3.0\r\n",
    "VERSION:4.0\r\n",
    "FN:田中 健太\r\n",
    "N:田中;健太;;;\r\n",
    "EMAIL;TYPE=INTERNET:ken@example.jp\r\n",
    "TEL;CELL:090\r\n",
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=E7=94=B0=\r\n",
    "=\r\n",
    " folded\r\n",
    "\tfolded\r\n",
    "X-ALUMNI-STINT:2001-04-01;2006-03-31;Web;Lead\r\n",
    "X-ALUMNI-CONSENT:yes;2025-01-10\r\n",
    "X-ALUMNI-CLOSENESS:close\r\n",
    "item1.EMAIL:a@b.c\r\n",
    "KIND:group\r\n",
    "UID:p-1\r\n",
    "PHOTO;ENCODING=b:AAAA\r\n",
    "\\,",
    "\\n",
    ";",
    ":",
];

const JSON: &[&str] = &[
    "{\"format\": \"alumni/1\", \"people\": [",
    "{\"format\": \"alumni/1\"}",
    "{\"name\": \"田中\"",
    "\"stints\": [{\"joined\": \"2001-04-01\"}]",
    "\"emails\": [\"a@b.c\"]",
    "\"id\": \"p-1\"",
    "\"consent\": \"no\"",
    "\"cohorts\": [{\"name\": \"Web\", \"members\": [\"p-1\"]}]",
    "\"events\": [{\"name\": \"Reunion\", \"invitations\": [{\"person\": \"p-1\", \"status\": \"attended\"}]}]",
    "}",
    "]",
    ",",
    "null",
    "\"\\u0000\"",
    "1e999",
];

fn import(bytes: &[u8], format: Format, name: &str) {
    let mut store = Store::open_in_memory().unwrap();
    let before = store.people().unwrap().len();
    let result = import_bytes(
        &mut store,
        name,
        bytes,
        format,
        &Options::default(),
        &ProgressBar::hidden(),
    );
    // Either way the store is consistent; after an error it is as it was.
    if result.is_err() {
        assert_eq!(store.people().unwrap().len(), before);
    }
    assert!(store.check().unwrap().ok());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn csv_input_never_panics(bytes in pieces(CSV)) {
        import(&bytes, Format::Csv, "fuzz.csv");
    }

    #[test]
    fn vcard_input_never_panics(bytes in pieces(VCARD)) {
        import(&bytes, Format::Vcf, "fuzz.vcf");
    }

    #[test]
    fn json_input_never_panics(bytes in pieces(JSON)) {
        import(&bytes, Format::Json, "fuzz.json");
    }

    #[test]
    fn the_search_line_never_panics(
        line in "(tag:|dept:|joined:|consent:|closeness:|company:|due:|[a-z]{1,6}|[ぁ-ん]{1,3}|[0-9-]{1,10}| |\\PC){0,12}"
    ) {
        let q = Query::parse(&line);
        let people = vec![alumni::domain::Person {
            name: "田中 健太".into(),
            reading: "たなか けんた".into(),
            tags: thin_vec::thin_vec!["ambassador".into()],
            ..Default::default()
        }];
        let index = Index::build(&people);
        let hits = alumni::search::search(&q, &index, &people, 10);
        prop_assert!(hits.len() <= 1);
        let _ = rank(&line, &index, 10);
        let _ = highlight(&people[0].name, &q.text);
    }

    #[test]
    fn the_config_file_never_panics(text in pieces(&[
        "language = \"ja\"\n",
        "language = 3\n",
        "[keys.people]\n",
        "[keys.nowhere]\n",
        "[keys.global]\n",
        "\"x\" = \"delete\"\n",
        "\"ctrl-alt-\" = \"quit\"\n",
        "\"q\" = \"no_such_action\"\n",
        "[reunion]\n",
        "band_years = 0\n",
        "band_years = -5\n",
        "min_overlap_days = 9999999999999999999\n",
        "due_close_days = \"x\"\n",
        "=\n",
        "[[\n",
    ])) {
        let text = String::from_utf8_lossy(&text);
        let cfg = alumni::tui::config::parse(&text, "config.toml", alumni::tui::i18n::Lang::En);
        // A config with a mistake says so and falls back on the defaults.
        if let Some(w) = &cfg.warning {
            prop_assert!(w.contains("config.toml"), "{w}");
        }
    }

    #[test]
    fn key_names_never_panic(name in "(ctrl-|alt-|shift-){0,3}(\\PC{0,3}|enter|esc|f[0-9]{1,3}|space|tab)") {
        if let Ok(k) = alumni::tui::keymap::Key::parse(&name) {
            // A key that parses has a name that parses back to it.
            prop_assert_eq!(alumni::tui::keymap::Key::parse(&k.name()), Ok(k));
        }
    }
}
