//! What a user sees first: `fn main() -> Result<(), corsair::Error>` whose
//! `build()?` fails prints every problem and its fix, not a `Debug` dump.
use std::process::{Command, ExitCode, Termination};

use corsair::Policy;

/// A program's `main`, as users write it.
fn main_of_a_user_program() -> Result<(), corsair::Error> {
    let _policy = Policy::builder()
        .allow_origins(["https://app.example.com/", "*"])
        .allow_credentials(true)
        .build()?;
    Ok(())
}

/// Run in a child process (this test binary, re-entered), so the real
/// `Termination` report reaches stderr as it would from `main`.
#[test]
fn main_returning_the_error_prints_the_problems() {
    if std::env::var_os("CORSAIR_ERROR_OUTPUT_CHILD").is_some() {
        let code: ExitCode = main_of_a_user_program().report();
        std::process::exit(if code == ExitCode::SUCCESS { 0 } else { 1 });
    }
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "main_returning_the_error_prints_the_problems",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("CORSAIR_ERROR_OUTPUT_CHILD", "1")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let err = main_of_a_user_program().unwrap_err();
    assert!(stderr.contains(&format!("Error: {err}")), "{stderr}");
    assert!(stderr.contains("invalid CORS policy (3 problems):"), "{stderr}");
    assert!(stderr.contains("fix: write `https://app.example.com`"), "{stderr}");
    assert!(!stderr.contains("Problem {"), "{stderr}");
    assert!(!stderr.contains("problems: ["), "{stderr}");
}
