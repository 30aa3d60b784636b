//! Human output: each request, each exchange with its outcome, then the verdict,
//! Chromium's console line and the fix. ANSI colour only when asked for.

use std::io::{self, Write};

use corsair_doctor::{Finding, Report, Verdict};

/// Text from a server or a HAR file, with control characters escaped: an escape
/// sequence in a header value must not drive the terminal.
fn clean(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

fn finding(f: &Finding, out: &mut dyn Write, color: bool) -> io::Result<()> {
    writeln!(
        out,
        "{} {} from origin {}",
        paint(color, "1", &f.method),
        f.url,
        f.origin
    )?;
    for s in &f.steps {
        writeln!(
            out,
            "  {:<9} {} {} (Origin: {}) -> {}: {}",
            s.kind,
            clean(&s.method),
            clean(&s.url),
            clean(&s.origin),
            s.status,
            clean(&s.outcome)
        )?;
    }
    match f.verdict {
        Verdict::Allowed => writeln!(out, "  {}", paint(color, "32;1", "ALLOWED"))?,
        Verdict::Blocked => {
            let name = f
                .cors_error
                .map_or_else(|| "network error".to_owned(), |e| e.name().to_owned());
            let param = f
                .failed_parameter
                .as_deref()
                .map(|p| format!(" (failed parameter: {})", clean(p)))
                .unwrap_or_default();
            writeln!(out, "  {} {name}{param}", paint(color, "31;1", "BLOCKED"))?;
        }
    }
    if f.verdict == Verdict::Blocked {
        writeln!(out, "  console: {}", clean(&f.message))?;
    }
    for w in &f.warnings {
        writeln!(out, "  {} {}", paint(color, "33;1", "warning:"), clean(w))?;
    }
    if !f.fix.is_empty() {
        writeln!(out, "  {} {}", paint(color, "36;1", "fix:"), clean(&f.fix))?;
    }
    Ok(())
}

/// Writes `report` for a terminal.
pub(crate) fn human(report: &Report, out: &mut dyn Write, color: bool) -> io::Result<()> {
    if report.requests.is_empty() {
        writeln!(out, "no cross-origin request found")?;
    }
    for (i, f) in report.requests.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        finding(f, out, color)?;
    }
    let blocked = report.requests.iter().filter(|f| f.verdict == Verdict::Blocked).count();
    if report.requests.len() > 1 {
        writeln!(out, "\n{} requests, {blocked} blocked", report.requests.len())?;
    }
    Ok(())
}
