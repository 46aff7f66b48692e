//! Running the subcommands: open the store, call the library, print.

mod importing;
mod interop;
mod print;
mod reunion;
mod vcard;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use indicatif::ProgressBar;
use serde::Serialize;

use crate::cli::{Cli, Command, EventCommand, ExportFormat};
use crate::domain::Person;
use crate::import;
use crate::search::{Index, Query, search};
use crate::store::{self, PersonEvent, Store};
use crate::text::sanitize;

/// The demo roster, embedded so that `--demo` works from any directory.
pub const DEMO_JSON: &str = include_str!("../../assets/demo.json");

pub fn db_path(cli: &Cli) -> Result<PathBuf> {
    match &cli.db {
        Some(p) => Ok(p.clone()),
        None => store::default_path()
            .ok_or_else(|| anyhow!("cannot find a data directory for the store; pass --db PATH")),
    }
}

/// From how many stale search texts on a command says that it renews them
/// (at 100,000 people about 1.2 s, at a million 12 s).
const SAY_RENEWING_FROM: usize = 20_000;

/// Opens the store at `path` (`create`: making it when it does not exist).
/// Search texts an older alumni made are made again first, once, saying so
/// on stderr when there are many: the command would otherwise seem to hang.
fn open_store(path: &Path, create: bool) -> Result<Store> {
    let mut store = match create {
        true => Store::open_deferred(path)?,
        false => Store::open_existing_deferred(path)?,
    };
    // Derived data: when it cannot be written now (a read-only file, a busy
    // store), searches build the index from the people instead.
    let _ = store.renew_search_texts(|stale| {
        if stale >= SAY_RENEWING_FROM {
            eprintln!(
                "alumni: renewing the search texts of {} people after the upgrade (once)…",
                crate::text::thousands(stale)
            );
        }
        store::Renew::Now
    });
    Ok(store)
}

/// Where output goes: stdout, or a new file readable only by its owner.
fn output(path: Option<&Path>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            store::write_private_file(p)
                .with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let Some(command) = &cli.command else {
        return run_tui(&cli);
    };
    match command {
        Command::Import {
            file,
            format,
            dry_run,
            skip_invalid,
            encoding,
        } => {
            let opts = import::Options {
                format: *format,
                dry_run: *dry_run,
                skip_invalid: *skip_invalid,
                encoding: encoding.clone(),
            };
            importing::run_import(&db_path(&cli)?, file, &opts)
        }
        Command::Export {
            format: ExportFormat::Vcf,
            event,
            output: o,
            cohort,
            vcard_version,
            dir,
        } => {
            let store = open_store(&db_path(&cli)?, false)?;
            let opts = vcard::VcfExport {
                cohort: cohort.as_deref(),
                event: event.as_deref(),
                version: *vcard_version,
                output: o.as_deref(),
                dir: dir.as_deref(),
            };
            vcard::export_vcf(&store, &opts)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            cohort,
            vcard_version,
            dir,
            ..
        } if cohort.is_some() || vcard_version.is_some() || dir.is_some() => Err(anyhow!(
            "--cohort, --vcard-version and --dir are for --format vcf"
        )),
        Command::Export {
            format: ExportFormat::Ics,
            event,
            output: o,
            ..
        } => {
            let store = open_store(&db_path(&cli)?, false)?;
            interop::export_ics(&store, event.as_deref(), o.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            event: Some(event),
            output: o,
            ..
        } => {
            if *format != ExportFormat::Csv {
                return Err(anyhow!(
                    "--event exports the invite list as CSV: use --format csv"
                ));
            }
            let ctx = reunion_ctx(&cli)?;
            let mut out = output(o.as_deref())?;
            reunion::export_invites(&ctx, event, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            format,
            event: None,
            output: o,
            ..
        } => {
            let store = open_store(&db_path(&cli)?, false)?;
            let mut out = output(o.as_deref())?;
            match format {
                ExportFormat::Json => crate::export::write_json(&store.roster()?, &mut out)?,
                ExportFormat::Csv => crate::export::write_csv(&store.people()?, &mut out)?,
                ExportFormat::Ics => unreachable!("iCalendar is exported above"),
                ExportFormat::Vcf => unreachable!("vCard is exported above"),
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Search { query, limit, json } => {
            // The search line's language, checked as the TUI checks it: a
            // filter it cannot read is an error, not a filter dropped.
            let q = Query::parse(query);
            if !q.errors.is_empty() {
                return Err(anyhow!("{}", q.errors.join("; ")));
            }
            let store = open_store(&db_path(&cli)?, false)?;
            // Without filters, the kept search texts are all it takes: only
            // the people found are read in full.
            let fast = match q.filters.is_empty() {
                true => store.search_index()?,
                false => None,
            };
            let people = match fast {
                Some((index, ids)) => {
                    let hits = crate::search::rank(&q.text, &index, *limit);
                    let ids: Vec<&str> = hits.iter().map(|h| ids.get(h.index)).collect();
                    store.people_by_id(&ids)?
                }
                None if q.wants_due() => {
                    let people = store.people()?;
                    let today = chrono::Local::now().date_naive();
                    let found = crate::search::search_due(
                        &q,
                        &Index::build(&people),
                        &people,
                        today,
                        &settings(),
                    );
                    found
                        .into_iter()
                        .take(*limit)
                        .map(|i| people[i].clone())
                        .collect()
                }
                None => {
                    let people = store.people()?;
                    let hits = search(&q, &Index::build(&people), &people, *limit);
                    hits.iter().map(|h| people[h.index].clone()).collect()
                }
            };
            let found: Vec<&Person> = people.iter().collect();
            let mut out = output(None)?;
            if *json {
                writeln!(out, "{}", json_safe(serde_json::to_string_pretty(&found)?))?;
            } else {
                print::print_people(&found, &mut out)?;
            }
            out.flush()?;
            if found.is_empty() && !*json {
                eprintln!("no one matches {:?}", sanitize(query));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Query {
            query,
            mutt: _,
            limit,
        } => {
            let store = open_store(&db_path(&cli)?, false)?;
            let mut out = output(None)?;
            out.write_all(interop::mutt_query(store.people()?, query, *limit).as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Show { id, json } => {
            let store = open_store(&db_path(&cli)?, false)?;
            let person = store.person(id)?;
            let cohorts = store.cohorts_of(id)?;
            let events = store.events_of(id)?;
            let consent_log = store.consent_log(id)?;
            let mut out = output(None)?;
            if *json {
                #[derive(Serialize)]
                struct Cohort<'a> {
                    id: &'a str,
                    name: &'a str,
                }
                #[derive(Serialize)]
                struct Shown<'a> {
                    #[serde(flatten)]
                    person: &'a Person,
                    cohorts: Vec<Cohort<'a>>,
                    events: &'a [PersonEvent],
                    consent_log: &'a [crate::domain::ConsentChange],
                }
                let shown = Shown {
                    person: &person,
                    cohorts: cohorts
                        .iter()
                        .map(|(id, name)| Cohort { id, name })
                        .collect(),
                    events: &events,
                    consent_log: &consent_log,
                };
                writeln!(out, "{}", json_safe(serde_json::to_string_pretty(&shown)?))?;
            } else {
                print::print_person(&person, &cohorts, &events, &mut out)?;
                if !consent_log.is_empty() {
                    writeln!(out, "consent log")?;
                    for c in &consent_log {
                        let purpose = match c.purpose.is_empty() {
                            true => String::new(),
                            false => format!("  for {}", sanitize(&c.purpose)),
                        };
                        let stated = match c.stated_on {
                            Some(d) if d != c.recorded_on => format!("  (given {d})"),
                            _ => String::new(),
                        };
                        writeln!(
                            out,
                            "  {}  {}{purpose}{stated}",
                            c.recorded_on,
                            c.consent.as_str()
                        )?;
                    }
                }
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Forget { id } => {
            let mut store = open_store(&db_path(&cli)?, false)?;
            let kept = store.forget(id)?;
            println!("{}", forgot_line(&sanitize(id), kept));
            println!(
                "a later import leaves them out (only one-way hashes of their id, emails and name are kept for that)"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { file } => {
            let store = open_store(&db_path(&cli)?, false)?;
            store.backup(file)?;
            println!("backed up to {}", sanitize(&file.display().to_string()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file } => {
            let db = db_path(&cli)?;
            let kept = store::backup::restore(&db, file)?;
            println!(
                "restored {} from {}",
                sanitize(&db.display().to_string()),
                sanitize(&file.display().to_string())
            );
            if let Some(k) = kept {
                println!(
                    "the store it replaced is kept as {}",
                    sanitize(&k.display().to_string())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Stats { json } => {
            let store = open_store(&db_path(&cli)?, false)?;
            let s = store.stats()?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&s)?);
            } else {
                for (k, v) in [
                    ("people", s.people),
                    ("stints", s.stints),
                    ("cohorts", s.cohorts),
                    ("events", s.events),
                    ("invitations", s.invitations),
                ] {
                    println!("{k:<12} {v:>9}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let path = db_path(&cli)?;
            let store = open_store(&path, false)?;
            let report = store.check()?;
            println!("store           {}", sanitize(&path.display().to_string()));
            println!(
                "schema version  {} (this alumni writes {})",
                report.schema_version,
                store::SCHEMA_VERSION
            );
            println!("integrity       {}", report.integrity.join("; "));
            if report.foreign_key_violations.is_empty() {
                println!("foreign keys    ok");
            } else {
                for v in &report.foreign_key_violations {
                    println!("foreign keys    {v}");
                }
            }
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                eprintln!(
                    "alumni: the store failed its checks; restore a backup or export what can be read"
                );
                ExitCode::FAILURE
            })
        }
        Command::Report { event, json } => {
            let ctx = reunion_ctx(&cli)?;
            let mut out = output(None)?;
            reunion::report(&ctx, event, *json, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Suggest { event, count, json } => {
            let ctx = reunion_ctx(&cli)?;
            let mut out = output(None)?;
            reunion::suggestions(&ctx, event, *count, *json, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Invite {
            event,
            people,
            status,
            parts,
        } => {
            let ctx = reunion_ctx(&cli)?;
            let mut out = output(None)?;
            let code = reunion::invite(ctx, event, people, *status, parts, &mut out)?;
            out.flush()?;
            Ok(code)
        }
        Command::Event {
            command:
                EventCommand::Add {
                    name,
                    date,
                    venue,
                    parts,
                },
        } => {
            let mut out = output(None)?;
            reunion::add_event(
                &db_path(&cli)?,
                name,
                date.as_deref(),
                venue,
                parts,
                &mut out,
            )?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Due { limit, json } => {
            let ctx = reunion_ctx(&cli)?;
            let mut out = output(None)?;
            reunion::due_list(&ctx, *limit, *json, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { output: o } => {
            let mut out = output(o.as_deref())?;
            out.write_all(DEMO_JSON.as_bytes())?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Gen {
            people,
            seed,
            output: o,
        } => {
            let mut out = output(o.as_deref())?;
            crate::synth::write_csv(*people, *seed, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchKeys { keys, repeat, size } => {
            let (w, h) = size
                .split_once('x')
                .and_then(|(w, h)| Some((w.parse().ok()?, h.parse().ok()?)))
                .ok_or_else(|| anyhow!("--size: expected COLSxROWS, e.g. 80x24, not {size:?}"))?;
            let today = chrono::Local::now().date_naive();
            let m = crate::tui::bench::run(&db_path(&cli)?, keys, *repeat, (w, h), today)?;
            print!("{}", crate::tui::bench::report(&m, keys));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// JSON for a terminal: serde_json leaves C1 controls (U+009B) and bidi
/// overrides raw; write them as `\uXXXX` escapes (the same JSON value).
pub(crate) fn json_safe(json: String) -> String {
    use crate::text::is_unsafe;
    if !json.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c != '\n' && is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// What `forget` says it did, in proper English for any number of the
/// invitations it kept as counts.
fn forgot_line(id: &str, kept: usize) -> String {
    let remain = match kept {
        1 => "1 invitation remains as an anonymous count".to_string(),
        n => format!(
            "{} invitations remain as anonymous counts",
            crate::text::thousands(n)
        ),
    };
    format!("forgot {id}: every row about them is erased; {remain}")
}

/// The settings from the config file (its problems reported on stderr).
fn settings() -> crate::analytics::Settings {
    let cfg = crate::tui::config::load(crate::tui::config::default_path().as_deref());
    if let Some(w) = cfg.warning {
        eprintln!("alumni: {}", sanitize(&w));
    }
    cfg.settings
}

fn reunion_ctx(cli: &Cli) -> Result<reunion::Ctx> {
    let store = open_store(&db_path(cli)?, false)?;
    reunion::Ctx::load(store, settings(), chrono::Local::now().date_naive())
}

/// The interactive address book, on the store or on the demo roster.
fn run_tui(cli: &Cli) -> Result<ExitCode> {
    use crate::tui::{app, config, loading};
    if !io::stdout().is_terminal() {
        return Err(anyhow!(
            "the address book needs a terminal; for scripts use a command (alumni --help)"
        ));
    }
    let path = if cli.demo { None } else { Some(db_path(cli)?) };
    let mut store = if cli.demo {
        // An in-memory copy: nothing the coordinator does in the demo is kept.
        let mut store = Store::open_in_memory()?;
        import::import_bytes(
            &mut store,
            "demo.json",
            DEMO_JSON.as_bytes(),
            import::Format::Json,
            &import::Options::default(),
            &ProgressBar::hidden(),
        )?;
        store
    } else {
        // Search texts an older alumni made are renewed by `loading::start`.
        Store::open_deferred(&db_path(cli)?)?
    };
    let cfg = config::load(config::default_path().as_deref());
    let today = chrono::Local::now().date_naive();
    // A large roster shows its first page at once and loads in the background.
    let (state, loader) = loading::start(&mut store, path.as_deref(), today, cfg.lang, 200)?;
    app::run(
        store,
        state,
        cfg.keymap,
        cfg.warning,
        loader,
        path.as_deref(),
    )?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::forgot_line;

    #[test]
    fn forget_counts_the_kept_invitations_in_proper_english() {
        assert_eq!(
            forgot_line("p-3", 1),
            "forgot p-3: every row about them is erased; 1 invitation remains as an anonymous count"
        );
        assert_eq!(
            forgot_line("p-3", 3),
            "forgot p-3: every row about them is erased; 3 invitations remain as anonymous counts"
        );
        assert_eq!(
            forgot_line("p-3", 0),
            "forgot p-3: every row about them is erased; 0 invitations remain as anonymous counts"
        );
    }
}
