use std::io;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = alumni::cli::Cli::parse();
    match alumni::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // `alumni export | head` closes the pipe early: not an error.
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("alumni: {}", alumni::text::sanitize(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}
