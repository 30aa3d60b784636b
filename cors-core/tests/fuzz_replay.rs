//! Replays the committed fuzz corpora (`fuzz/corpus/<target>/*`) and saved
//! regressions (`fuzz/artifacts/<target>/*`) through the very target bodies the
//! fuzzer runs (`fuzz/targets/`, included by its module root), so plain
//! `cargo test` catches a regression without cargo-fuzz or nightly flags. The
//! models' own unit tests (`#[test]` items under `fuzz/targets/model/`) run here too.

#[path = "../../fuzz/targets/mod.rs"]
mod targets;

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    dir.canonicalize().unwrap_or(dir)
}

/// Every regular file under `dir` (none when it does not exist), hidden files skipped, sorted.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect();
    files.sort();
    files
}

/// Runs every input of `kind` ("corpus" or "artifacts") for one target; reports
/// every failing file, not just the first.
fn replay(target: &str, kind: &str) -> usize {
    let body = targets::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, body)| *body)
        .expect("a known target");
    let files = inputs(&fuzz_dir().join(kind).join(target));
    let mut failed = Vec::new();
    for file in &files {
        let data = std::fs::read(file).expect("readable input");
        if std::panic::catch_unwind(|| body(&data)).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs fail:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    files.len()
}

#[test]
fn every_target_has_a_corpus() {
    for (target, _) in targets::TARGETS {
        assert!(
            !inputs(&fuzz_dir().join("corpus").join(target)).is_empty(),
            "fuzz/corpus/{target} is empty or missing"
        );
    }
}

macro_rules! replay_tests {
    ($($target:ident),*) => {$(
        mod $target {
            #[test]
            fn corpus() {
                super::replay(stringify!($target), "corpus");
            }

            #[test]
            fn artifacts() {
                super::replay(stringify!($target), "artifacts");
            }
        }
    )*};
}

replay_tests!(origin, request_headers, engine, builder);

/// Inputs written by hand: empty, tiny and odd ones every target must take.
#[test]
fn edge_inputs() {
    for (_, body) in targets::TARGETS {
        for data in [&[][..], &[0], &[0xff; 4], &[0xff; 64], b"{}", &[0x80; 17]] {
            body(data);
        }
    }
}
