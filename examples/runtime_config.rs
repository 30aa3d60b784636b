//! A policy from a config file instead of code: this crate's snake_case keys, or
//! an Amazon API Gateway HTTP API `CorsConfiguration` (as in `aws apigatewayv2
//! get-api` output), validated by the same rules as `cors!`, every problem
//! reported as a value.
//!
//! ```text
//! cargo run --example runtime_config --features axum,serde
//! cargo run --example runtime_config --features axum,serde -- --check examples/config/invalid.json
//! cargo run --example runtime_config --features axum,serde -- [DEFAULT.json [PUBLIC.json]]
//! ```
//!
//! DEFAULT (examples/config/cors.json) answers every path, PUBLIC
//! (examples/config/api-gateway.json) the paths under `/public`. With `--check`
//! it validates the files and exits; otherwise it serves on 127.0.0.1 until killed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use axum::routing::get;
use axum::Router;
use corsair::tower::CorsLayer;
use corsair::{Config, Policy};

/// Reads a policy file: either a `Config` itself, or an object with a
/// `CorsConfiguration` key (API Gateway's shape; the other keys are ignored).
fn load(path: &Path) -> Result<Policy, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if let Some(gateway) = json.get_mut("CorsConfiguration") {
        json = gateway.take();
    }
    let config: Config = serde_json::from_value(json).map_err(|e| format!("{}: {e}", path.display()))?;
    // The error lists every problem at once, each with what is wrong and the fix.
    Policy::try_from(config).map_err(|e| format!("{}: {e}", path.display()))
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.first().is_some_and(|a| a == "--check");
    if check {
        args.remove(0);
    }
    let example = |file: &str| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("examples/config")
            .join(file)
    };
    let default_path = args.first().map(PathBuf::from).unwrap_or_else(|| example("cors.json"));
    let public_path = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| example("api-gateway.json"));

    let (default, public) = match (load(&default_path), load(&public_path)) {
        (Ok(d), Ok(p)) => (d, p),
        (d, p) => {
            for e in [d.err(), p.err()].into_iter().flatten() {
                eprintln!("{e}");
            }
            return ExitCode::FAILURE;
        }
    };
    println!("default policy ({}): {default:?}", default_path.display());
    println!("/public policy ({}): {public:?}", public_path.display());
    if check {
        return ExitCode::SUCCESS;
    }

    let app = Router::new()
        .route("/items", get(|| async { "[\"apple\", \"pear\"]\n" }))
        .route("/public/status", get(|| async { "ok\n" }))
        .layer(CorsLayer::new(default).route("/public", public));

    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let served = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        println!("\nServing on {url} (Ctrl-C to stop). Try:");
        println!("  curl -i -X OPTIONS {url}/items -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT'");
        println!("  curl -i -X OPTIONS {url}/public/status -H 'Origin: https://anyone.example.net' -H 'Access-Control-Request-Method: GET' -H 'Access-Control-Request-Headers: x-api-key'");
        axum::serve(listener, app).await
    });
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
