//! examples/reload.rs: a policy file replaced while serving. A valid new version
//! replaces the policy, an invalid one is logged (every problem) and the old policy
//! keeps serving. Modification times are set explicitly, so nothing here waits.
#![cfg(all(feature = "tower", feature = "serde"))]

#[allow(dead_code)]
#[path = "../examples/reload.rs"]
mod reload;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use http::Request;
use reload::{Outcome, Reloader};
use tower::ServiceExt;

const A: &str = r#"{"allow_origins": ["https://a.example.com"], "allow_credentials": true, "expose_headers": ["x-a"]}"#;
const B: &str = r#"{"AllowOrigins": ["https://b.example.com"], "ExposeHeaders": ["x-b"], "MaxAge": -1}"#;
/// Three problems: `*` with credentials, a lower-case standard method, max_age too large.
const INVALID: &str =
    r#"{"allow_origins": ["*"], "allow_credentials": true, "allow_methods": ["patch"], "max_age": 604800}"#;

/// A scratch file, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        Scratch(dir.join(format!("reload-{name}-{}.json", std::process::id())))
    }

    /// Writes `text` with modification time `t` seconds after the epoch, so each
    /// version is told apart without waiting for the clock.
    fn write(&self, text: &str, t: u64) {
        std::fs::write(&self.0, text).expect("write the policy file");
        let f = File::options().write(true).open(&self.0).expect("open");
        f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(t))
            .expect("set the modification time");
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The `Access-Control-Allow-Origin` and `-Expose-Headers` the app sends to `origin`.
fn answer(app: &axum::Router, origin: &str) -> (Option<String>, Option<String>) {
    let req = Request::get("/items")
        .header("origin", origin)
        .body(axum::body::Body::empty())
        .expect("request");
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let res = rt.block_on(app.clone().oneshot(req)).expect("infallible");
    let get = |n: &str| res.headers().get(n).map(|v| v.to_str().expect("ascii").to_owned());
    (get("access-control-allow-origin"), get("access-control-expose-headers"))
}

#[test]
fn a_valid_change_replaces_the_policy_and_an_invalid_one_keeps_it() {
    let file = Scratch::new("cycle");
    file.write(A, 1_000);
    let (mut reloader, live) = Reloader::start(file.path()).expect("the first version is valid");
    let app = reload::app(live.clone());
    let a = (Some("https://a.example.com".to_owned()), Some("x-a".to_owned()));
    assert_eq!(answer(&app, "https://a.example.com"), a);
    assert_eq!(reloader.poll(), Outcome::Unchanged);

    // An invalid version: every problem logged, the old policy still answering.
    file.write(INVALID, 2_000);
    let outcome = reloader.poll();
    let Outcome::Kept(problems) = &outcome else {
        panic!("an invalid file replaced the policy: {outcome:?}");
    };
    assert_eq!(problems.len(), 3, "{problems:#?}");
    let log = outcome.log_lines(file.path()).join("\n");
    for needle in [
        "previous policy keeps serving",
        "allow_credentials",
        "`patch`",
        "604800",
        "fix:",
    ] {
        assert!(log.contains(needle), "the log misses {needle:?}:\n{log}");
    }
    assert_eq!(answer(&app, "https://a.example.com"), a);
    assert_eq!(
        reloader.poll(),
        Outcome::Unchanged,
        "the same invalid version is not read twice"
    );

    // Not JSON, then a missing file: one problem each, the old policy still answering.
    file.write("{\"allow_origins\": [", 3_000);
    assert!(matches!(reloader.poll(), Outcome::Kept(p) if p.len() == 1));
    std::fs::remove_file(file.path()).expect("remove");
    assert!(matches!(reloader.poll(), Outcome::Kept(p) if p.len() == 1));
    assert_eq!(answer(&app, "https://a.example.com"), a);

    // A valid version (API Gateway's names this time) replaces it.
    file.write(B, 4_000);
    assert_eq!(reloader.poll(), Outcome::Replaced);
    assert_eq!(
        answer(&app, "https://b.example.com"),
        (Some("https://b.example.com".to_owned()), Some("x-b".to_owned()))
    );
    assert_eq!(answer(&app, "https://a.example.com"), (None, None));
    assert_eq!(reloader.poll(), Outcome::Unchanged);

    // SIGHUP reads the file whatever its time.
    std::fs::write(file.path(), A).expect("write");
    File::options()
        .write(true)
        .open(file.path())
        .and_then(|f| f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(4_000)))
        .expect("keep the old time");
    assert_eq!(reloader.reload(), Outcome::Replaced);
    assert_eq!(answer(&app, "https://a.example.com"), a);
}

#[test]
fn an_invalid_first_version_is_refused_with_every_problem() {
    let file = Scratch::new("invalid-start");
    file.write(INVALID, 1_000);
    let problems = Reloader::start(file.path()).err().expect("refused");
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems
        .iter()
        .all(|p| p.starts_with(&file.path().display().to_string())));
}
