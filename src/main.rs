use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use copydesk::cli::{self, OutputFormat, ReadError};

copydesk::process_allocator!();

#[derive(Parser)]
#[command(
    name = "copydesk",
    version,
    about = "A copy desk in your editor: unattributed quotes, inconsistent name spellings, undated claims."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Fmt {
    Human,
    Json,
    Sarif,
    Github,
}

#[derive(Subcommand)]
enum Command {
    /// Check stories: files, or folders of .md, .markdown and .txt files.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "human")]
        format: Fmt,
        /// The stories' date (YYYY-MM-DD), overriding any dateline.
        #[arg(long)]
        date: Option<String>,
        /// A .copydesk.toml to use instead of discovering one.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Never color the output.
        #[arg(long)]
        no_color: bool,
    },
    /// Print every rule with its documentation.
    Rules {
        /// As the README's Markdown table.
        #[arg(long)]
        markdown: bool,
    },
    /// Run the language server on stdin/stdout.
    Lsp {
        /// Accepted for clients that always pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Write a commented starter .copydesk.toml in the current folder.
    Init,
}

fn main() -> ExitCode {
    copydesk::memory::keep_freed_memory();
    let cli = Cli::parse();
    match cli.command {
        Command::Check {
            paths,
            format,
            date,
            config,
            no_color,
        } => {
            let date = match date.as_deref().map(str::parse::<jiff::civil::Date>) {
                None => None,
                Some(Ok(d)) => Some(d),
                Some(Err(_)) => {
                    eprintln!(
                        "copydesk: --date must be YYYY-MM-DD, not `{}`",
                        date.unwrap_or_default()
                    );
                    return ExitCode::from(2);
                }
            };
            let format = match format {
                Fmt::Human => OutputFormat::Human,
                Fmt::Json => OutputFormat::Json,
                Fmt::Sarif => OutputFormat::Sarif,
                Fmt::Github => OutputFormat::Github,
            };
            let mut errors: Vec<ReadError> = Vec::new();
            if let Some(c) = &config {
                if !c.is_file() {
                    eprintln!(
                        "copydesk: {}: the configuration file does not exist",
                        c.display()
                    );
                    return ExitCode::from(2);
                }
            }
            let mut configs = cli::ConfigCache::new(config.as_deref(), date, &mut errors);
            let files = cli::collect(&paths, &mut errors);
            let checked = cli::check_files(&files, &mut configs, &mut errors);
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            let color = !no_color
                && format == OutputFormat::Human
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::env::var_os("NO_COLOR").is_none();
            let res = match format {
                OutputFormat::Json => {
                    let mut w = std::io::BufWriter::new(&mut out);
                    cli::write_json(&checked, &mut w).and_then(|()| w.flush())
                }
                OutputFormat::Sarif => writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&cli::sarif(&checked)).unwrap()
                ),
                OutputFormat::Human => checked
                    .iter()
                    .try_for_each(|c| cli::human(c, color, &mut out)),
                OutputFormat::Github => checked.iter().try_for_each(|c| cli::github(c, &mut out)),
            };
            if res.is_err() {
                return ExitCode::from(2);
            }
            let found: usize = checked.iter().map(|c| c.report.diagnostics.len()).sum();
            for e in &errors {
                eprintln!("copydesk: {}: {}", e.path.display(), e.message);
            }
            if format == OutputFormat::Human {
                eprintln!(
                    "copydesk: {} finding(s) in {} file(s)",
                    found,
                    checked.len()
                );
            }
            // every problem (unreadable, binary, invalid UTF-8, bad config) exits 2
            if !errors.is_empty() {
                ExitCode::from(2)
            } else if found > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Rules { markdown } => {
            if markdown {
                print!("{}", copydesk::rules::markdown_table());
            } else {
                print!("{}", copydesk::rules::text_docs());
            }
            ExitCode::SUCCESS
        }
        Command::Lsp { .. } => {
            copydesk::lsp::run();
            ExitCode::SUCCESS
        }
        Command::Init => {
            let p = PathBuf::from(copydesk::config::FILE_NAME);
            if p.exists() {
                eprintln!("copydesk: {} already exists; not overwritten", p.display());
                return ExitCode::from(2);
            }
            match std::fs::write(&p, copydesk::config::STARTER) {
                Ok(()) => {
                    println!("wrote {}", p.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("copydesk: cannot write {}: {e}", p.display());
                    ExitCode::from(2)
                }
            }
        }
    }
}
