//! The command line: clap definitions only; `commands` runs them.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::domain::InvitationStatus;
use crate::import::Format;

#[derive(Debug, Parser)]
#[command(
    name = "alumni",
    version,
    about = "A terminal address book for a company's alumni network",
    long_about = None
)]
pub struct Cli {
    /// The store to use (default: the platform data directory, alumni/alumni.db)
    #[arg(long, global = true, env = "ALUMNI_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Open the TUI on a temporary copy of the embedded demo roster (the
    /// store is never touched)
    #[arg(long, conflicts_with = "db")]
    pub demo: bool,

    /// Without a command, the interactive address book opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    /// iCalendar: dated events, consenting invitees as attendees
    Ics,
    /// vCard: one card per person (4.0 unless --vcard-version 3)
    Vcf,
}

/// The vCard version `export --format vcf` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum VcardVersion {
    /// vCard 3.0 (RFC 2426), for older phones and address books
    #[value(name = "3")]
    V3,
    /// vCard 4.0 (RFC 6350)
    #[value(name = "4")]
    V4,
}

fn parse_status(s: &str) -> Result<InvitationStatus, String> {
    InvitationStatus::parse(s)
        .ok_or_else(|| "use invited, accepted, declined, maybe, attended or no_show".to_string())
}

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Add an event; prints its id
    Add {
        name: String,
        /// The date (YYYY-MM-DD or the other import forms); none while not fixed
        #[arg(long)]
        date: Option<String>,
        #[arg(long, default_value = "")]
        venue: String,
        /// Its parts, in order, separated by commas (, 、 or ，): --parts 一次会,二次会
        #[arg(long, value_delimiter = ',')]
        parts: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import people (CSV, JSON or vCard); all or nothing unless --skip-invalid
    Import {
        /// The file to import (.csv, .tsv, .json, .vcf), or a directory of .vcf files
        file: PathBuf,
        /// The file's format (default: from its extension; CSV unless .json or .vcf)
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Report what would happen; write nothing
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows and report the invalid ones
        #[arg(long)]
        skip_invalid: bool,
        /// The CSV's text encoding (default: detect UTF-8 or Shift_JIS)
        #[arg(long, value_name = "E")]
        encoding: Option<String>,
    },
    /// Export everyone as CSV or JSON, an event's invite list, events as
    /// iCalendar, or people as vCards (stdout unless -o)
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The invite list of this event for a mail merge (CSV; consenting people
        /// only), or with --format ics this event only
        #[arg(long, value_name = "EVENT_ID")]
        event: Option<String>,
        /// Write to this file (created readable by you only)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// vCard: only the members of this cohort
        #[arg(long, value_name = "COHORT_ID", conflicts_with = "event")]
        cohort: Option<String>,
        /// vCard: the version to write, 3 or 4 (default 4)
        #[arg(long, value_enum, value_name = "3|4")]
        vcard_version: Option<VcardVersion>,
        /// vCard: write a vdir, one UID.vcf per person (khard, vdirsyncer)
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        dir: Option<PathBuf>,
    },
    /// Fuzzy search over names, readings, romaji, nicknames, emails, companies, departments, tags
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// One JSON array of people instead of lines
        #[arg(long)]
        json: bool,
    },
    /// Address lookup for mail clients: `set query_command = "alumni query --mutt '%s'"`
    Query {
        query: String,
        /// The format of mutt's query_command and aerc's address-book-cmd: a
        /// line of text, then email<TAB>name<TAB>info per match
        #[arg(long, required = true)]
        mutt: bool,
        /// At most this many people
        #[arg(long, default_value_t = 30)]
        limit: usize,
    },
    /// Erase a person on request (APPI/GDPR): every row about them, leaving only
    /// anonymous counts in events; nothing of them stays in the file or its WAL
    Forget { id: String },
    /// A consistent copy of the store (safe while alumni runs elsewhere), mode 0600
    Backup { file: PathBuf },
    /// Replace the store with a backup, after checking it; the old store is kept aside
    Restore { file: PathBuf },
    /// Everything stored about one person
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Counts of people, stints, cohorts, events and invitations
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Integrity and foreign-key checks; non-zero exit when not ok
    Check,
    /// The balance report of an event: generations, who knows nobody, cliques, closeness
    Report {
        event: String,
        #[arg(long)]
        json: bool,
    },
    /// Whom to invite next to an event, and why
    Suggest {
        event: String,
        #[arg(long, default_value_t = 10)]
        count: usize,
        #[arg(long)]
        json: bool,
    },
    /// Invite people to an event, or record their reply or attendance
    Invite {
        event: String,
        #[arg(required = true, value_name = "PERSON_ID")]
        people: Vec<String>,
        /// invited, accepted, declined, maybe, attended or no_show (default: invited
        /// for new invitees; a reply already recorded is kept)
        #[arg(long, value_parser = parse_status)]
        status: Option<InvitationStatus>,
        /// A part of the event they came to (repeat for several); implies attended
        #[arg(long = "part", value_name = "PART")]
        parts: Vec<String>,
    },
    /// Events: add one
    Event {
        #[command(subcommand)]
        command: EventCommand,
    },
    /// Consenting alumni not contacted for longer than their closeness allows, oldest first
    Due {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Write the embedded demo roster as JSON (stdout unless -o)
    Demo {
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a deterministic synthetic roster as CSV, for benchmarks
    Gen {
        /// How many people
        #[arg(long, default_value_t = 1000)]
        people: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Measure the address book headless: start-up, then each keystroke of
    /// typing KEYS into the People search (and arrows through the result),
    /// drawn on an off-screen terminal; prints p50/p99 per keystroke
    BenchKeys {
        /// What to type into the search line, one keystroke per character
        #[arg(long, default_value = "tanaka")]
        keys: String,
        /// How many times to type it (the search is cleared in between)
        #[arg(long, default_value_t = 20)]
        repeat: usize,
        /// The off-screen terminal's size, COLSxROWS
        #[arg(long, default_value = "120x40")]
        size: String,
    },
}
