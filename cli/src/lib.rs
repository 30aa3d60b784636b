//! The `corsair` command's library: argument parsing, the live probe, the offline
//! policy check and the output. The browser-side analysis is `corsair-doctor`'s.
#![deny(unsafe_code, unreachable_pub)]
#![warn(missing_docs)]

pub mod check;
pub mod export;
mod output;
pub mod probe;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use corsair_doctor::{Credentials, PageRequest, Report};

/// Explains why a browser blocks a cross-origin request, as Chromium names it.
#[derive(Debug, Parser)]
#[command(name = "corsair", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct RequestArgs {
    /// The page's origin, e.g. https://app.example.com
    #[arg(long)]
    origin: String,
    /// The method the page uses (fetch upper-cases only DELETE, GET, HEAD, OPTIONS, POST, PUT)
    #[arg(long, short = 'X', default_value = "GET")]
    method: String,
    /// A header the page sets, "Name: value" (repeatable)
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The page sends credentials (fetch's `credentials: 'include'`)
    #[arg(long)]
    credentials: bool,
    /// Print {"requests":[...]} as JSON
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send what Chromium would (preflight, request, redirects hop by hop) and judge each response
    Probe {
        /// The URL the page fetches
        url: String,
        #[command(flatten)]
        request: RequestArgs,
        /// Seconds allowed for each exchange
        #[arg(long, default_value_t = 10)]
        timeout: u64,
    },
    /// Analyse a HAR export (Chrome or Firefox): one finding per cross-origin request
    Har {
        /// The .har file
        file: PathBuf,
        /// Print {"requests":[...]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write a policy file for API Gateway: an HTTP API CorsConfiguration, its OpenAPI extension, or a REST API's mock OPTIONS methods
    Export {
        /// apigw-http, openapi or apigw-rest
        #[arg(long, value_enum)]
        format: export::Format,
        /// The policy file
        policy: PathBuf,
        /// With apigw-rest: a resource path to answer preflights on (repeatable)
        #[arg(long = "path")]
        paths: Vec<String>,
    },
    /// Offline: what a corsair policy file (Config JSON, API Gateway's included) answers, and why
    Check {
        /// The policy file
        policy: PathBuf,
        /// The URL the page fetches (only its path matters)
        #[arg(long, default_value = "https://api.example.invalid/")]
        url: String,
        #[command(flatten)]
        request: RequestArgs,
    },
}

/// A usage or I/O error: one line, exit status 2.
#[derive(Debug)]
struct Fatal(String);

fn page_request(url: String, args: &RequestArgs) -> Result<PageRequest, Fatal> {
    let origin = args.origin.trim();
    let parsed = url::Url::parse(origin).map_err(|_| {
        Fatal(format!(
            "--origin `{origin}` is not an origin; write scheme://host[:port], e.g. https://app.example.com"
        ))
    })?;
    let serialized = parsed.origin().ascii_serialization();
    if serialized != origin {
        return Err(Fatal(format!("--origin `{origin}` is not what a browser sends: an origin has no path, query or trailing slash and is lower-case; did you mean `{serialized}`?")));
    }
    let mut headers = Vec::new();
    for h in &args.headers {
        let (name, value) = h
            .split_once(':')
            .filter(|(n, _)| !n.trim().is_empty() && http::HeaderName::from_bytes(n.trim().as_bytes()).is_ok())
            .ok_or_else(|| Fatal(format!("--header `{h}` must be `Name: value` with a valid header name")))?;
        if http::HeaderValue::from_str(value.trim()).is_err() {
            return Err(Fatal(format!(
                "--header `{h}`: the value has a byte not allowed in a header"
            )));
        }
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    if ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(&args.method))
    {
        return Err(Fatal(format!(
            "--method `{}`: browsers refuse to send CONNECT, TRACE and TRACK (fetch throws a TypeError)",
            args.method
        )));
    }
    if http::Method::from_bytes(args.method.as_bytes()).is_err() {
        return Err(Fatal(format!("--method `{}` is not an HTTP method token", args.method)));
    }
    Ok(PageRequest {
        url,
        method: args.method.clone(),
        origin: serialized,
        headers,
        credentials: if args.credentials {
            Credentials::Include
        } else {
            Credentials::Omit
        },
    })
}

/// What a command produced: findings, or a document to print as it is.
enum Output {
    Report(Report, bool),
    Document(String),
}

fn execute(command: Command, stderr: &mut dyn Write) -> Result<Output, Fatal> {
    match command {
        Command::Export { format, policy, paths } => {
            let text = std::fs::read_to_string(&policy)
                .map_err(|e| Fatal(format!("cannot read {}: {e}", policy.display())))?;
            let doc = export::export(&text, format, &paths).map_err(|e| Fatal(format!("{}: {e}", policy.display())))?;
            Ok(Output::Document(doc))
        }
        Command::Probe { url, request, timeout } => {
            let req = page_request(url, &request)?;
            let options = probe::ProbeOptions {
                timeout: Duration::from_secs(timeout.max(1)),
            };
            let finding = probe::probe(&req, &options).map_err(Fatal)?;
            Ok(Output::Report(
                Report {
                    requests: vec![finding],
                },
                request.json,
            ))
        }
        Command::Check { policy, url, request } => {
            let text = std::fs::read_to_string(&policy)
                .map_err(|e| Fatal(format!("cannot read {}: {e}", policy.display())))?;
            let policy = check::load_policy(&text).map_err(|e| Fatal(format!("{}: {e}", policy.display())))?;
            let req = page_request(url, &request)?;
            let finding = check::check(&policy, &req).map_err(Fatal)?;
            Ok(Output::Report(
                Report {
                    requests: vec![finding],
                },
                request.json,
            ))
        }
        Command::Har { file, json } => {
            let text =
                std::fs::read_to_string(&file).map_err(|e| Fatal(format!("cannot read {}: {e}", file.display())))?;
            let mut progress = |done: usize, total: usize| {
                if total >= 200 && stderr_is_tty() && (done.is_multiple_of(100) || done == total) {
                    let _ = write!(stderr, "\ranalysing HAR entries: {done}/{total}");
                    if done == total {
                        let _ = writeln!(stderr);
                    }
                }
            };
            let requests = corsair_doctor::har::analyze_with_progress(&text, &mut progress)
                .map_err(|e| Fatal(format!("{}: {e}", file.display())))?;
            Ok(Output::Report(Report { requests }, json))
        }
    }
}

fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

/// Runs the command line `args` (program name first), writing the report to `stdout`
/// and errors to `stderr`; returns the exit status: 0 all allowed, 1 one blocked,
/// 2 a usage or I/O error. Colour only when `color` (the binary passes "stdout is a tty").
pub fn run_cli<I, T>(args: I, stdout: &mut dyn Write, stderr: &mut dyn Write, color: bool) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let text = if color {
                e.render().ansi().to_string()
            } else {
                e.render().to_string()
            };
            let _ = if code == 0 {
                write!(stdout, "{text}")
            } else {
                write!(stderr, "{text}")
            };
            return code;
        }
    };
    match execute(cli.command, stderr) {
        Ok(Output::Document(doc)) => match writeln!(stdout, "{doc}") {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                let _ = writeln!(stderr, "corsair: cannot write the document: {e}");
                2
            }
            _ => 0,
        },
        Ok(Output::Report(report, json)) => {
            let written = if json {
                serde_json::to_writer_pretty(&mut *stdout, &report)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writeln!(stdout))
            } else {
                output::human(&report, stdout, color)
            };
            match written {
                Ok(()) => report.exit_code(),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => report.exit_code(),
                Err(e) => {
                    let _ = writeln!(stderr, "corsair: cannot write the report: {e}");
                    2
                }
            }
        }
        Err(Fatal(message)) => {
            let _ = writeln!(stderr, "corsair: error: {message}");
            2
        }
    }
}
