//! A deterministic synthetic roster for benchmarks and scale tests
//! (`alumni gen`): Japanese and international names with readings and
//! nicknames, stints over 30 years, some returners.

use std::io::{self, Write};

use crate::import::csv::CANONICAL;

const FAMILY: &[(&str, &str)] = &[
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("斎藤", "さいとう"),
    ("清水", "しみず"),
    ("森", "もり"),
    ("池田", "いけだ"),
    ("橋本", "はしもと"),
    ("石川", "いしかわ"),
];
const GIVEN: &[(&str, &str, &str)] = &[
    ("健太", "けんた", "ケン"),
    ("翔太", "しょうた", "ショウ"),
    ("大輔", "だいすけ", "ダイ"),
    ("拓也", "たくや", "タク"),
    ("直樹", "なおき", "ナオ"),
    ("陽子", "ようこ", "ヨーコ"),
    ("美咲", "みさき", "ミサ"),
    ("由美", "ゆみ", "ユミ"),
    ("恵", "めぐみ", "メグ"),
    ("智子", "ともこ", "トモ"),
    ("誠", "まこと", "マコ"),
    ("亮", "りょう", "リョウ"),
    ("彩", "あや", "アヤ"),
    ("優子", "ゆうこ", "ユッコ"),
    ("浩二", "こうじ", "コージ"),
    ("真由美", "まゆみ", "マユ"),
    ("隆", "たかし", "タカ"),
    ("香織", "かおり", "カオ"),
];
const WESTERN: &[(&str, &str, &str)] = &[
    ("Emma", "Johnson", "Em"),
    ("Liam", "Smith", "Li"),
    ("Olivia", "Brown", "Liv"),
    ("Noah", "Garcia", ""),
    ("Sofia", "Rossi", "Sof"),
    ("Lucas", "Martin", "Luke"),
    ("Mia", "Müller", ""),
    ("Chen", "Wei", "CW"),
    ("Priya", "Sharma", "Pri"),
    ("Kim", "Minjun", "MJ"),
    ("Ana", "Silva", ""),
    ("Jonas", "Berg", "Joe"),
];
const DEPARTMENTS: &[&str] = &[
    "Web",
    "Mobile",
    "Sales",
    "Marketing",
    "Design",
    "Infrastructure",
    "QA",
    "HR",
    "Finance",
    "Support",
];
const ROLES: &[&str] = &[
    "Engineer",
    "Senior Engineer",
    "Team Lead",
    "Manager",
    "Designer",
    "Analyst",
    "Intern",
];
const COMPANIES: &[&str] = &[
    "",
    "",
    "Acme KK",
    "Globex",
    "サイバー商事",
    "Initech",
    "東京テック",
    "Freelance",
    "Umbrella Japan",
];
const TAGS: &[&str] = &[
    "ambassador",
    "founder",
    "speaker",
    "mentor",
    "rehire",
    "board",
];
const CONSENT: &[&str] = &["yes", "yes", "yes", "unknown", "no"];
const CLOSENESS: &[&str] = &["close", "in_touch", "in_touch", "distant", "lost"];

fn pick<'a, T>(rng: &mut fastrand::Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.usize(..xs.len())]
}

fn date(y: i32, m: u32, d: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Imports `n` generated people (`write_csv` with `seed`) into `store`: the
/// roster tests and benchmarks start from.
pub fn import_roster(
    store: &mut crate::store::Store,
    n: usize,
    seed: u64,
) -> Result<crate::import::Report, crate::import::ImportError> {
    let mut csv = Vec::new();
    write_csv(n, seed, &mut csv).expect("writing to memory");
    crate::import::import_bytes(
        store,
        "roster.csv",
        &csv,
        crate::import::Format::Csv,
        &Default::default(),
        &indicatif::ProgressBar::hidden(),
    )
}

/// Writes `n` people (about 10% returners, so more rows than people) as
/// canonical CSV. The same `seed` always gives the same file.
pub fn write_csv(n: usize, seed: u64, out: &mut dyn Write) -> io::Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CANONICAL)?;
    for i in 0..n {
        let (name, reading, nickname) = if rng.u8(..10) < 8 {
            let (f, fr) = pick(&mut rng, FAMILY);
            let (g, gr, nick) = pick(&mut rng, GIVEN);
            (format!("{f} {g}"), format!("{fr} {gr}"), nick.to_string())
        } else {
            let (g, f, nick) = pick(&mut rng, WESTERN);
            (format!("{g} {f}"), String::new(), nick.to_string())
        };
        let email = format!("user{i}@example.com");
        let phone = format!("090-{:04}-{:04}", rng.u32(..10000), rng.u32(..10000));
        let company = pick(&mut rng, COMPANIES).to_string();
        let tags = if rng.u8(..4) == 0 {
            pick(&mut rng, TAGS).to_string()
        } else {
            String::new()
        };
        let consent = pick(&mut rng, CONSENT).to_string();
        let closeness = pick(&mut rng, CLOSENESS).to_string();
        let contacted = if rng.bool() {
            date(rng.i32(2015..2026), rng.u32(1..13), rng.u32(1..29))
        } else {
            String::new()
        };
        let stints = if rng.u8(..10) == 0 { 2 } else { 1 };
        let mut year = rng.i32(1996..2024);
        for _ in 0..stints {
            if year > 2025 {
                break;
            }
            let joined = date(year, 4, 1);
            let left_year = (year + rng.i32(1..8)).min(2026);
            let left = date(left_year, rng.u32(1..13), 28);
            w.write_record([
                name.as_str(),
                &reading,
                &nickname,
                &email,
                &phone,
                *pick(&mut rng, DEPARTMENTS),
                *pick(&mut rng, ROLES),
                &joined,
                &left,
                &company,
                "",
                "Tokyo",
                &tags,
                "",
                &consent,
                &closeness,
                &contacted,
            ])?;
            year = left_year + 1;
        }
    }
    w.flush()
}
