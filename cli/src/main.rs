//! The `corsair` binary: see the crate's README.

use std::io::IsTerminal as _;

fn main() {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let code = corsair_cli::run_cli(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
        color,
    );
    std::process::exit(code);
}
