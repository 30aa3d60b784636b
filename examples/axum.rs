//! The main example: an axum server whose CORS policy is answered by `corsair`.
//!
//! ```text
//! cargo run --example axum --features axum
//! ```
//!
//! It serves on 127.0.0.1 (port 3000, or `PORT`) until killed, and prints curl
//! commands to try: an allowed and a denied preflight, an actual request, and a
//! path with its own policy.

use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use corsair::tower::CorsLayer;
use corsair::{cors, Policy};

// Checked when the program compiles: a trailing slash, `patch` in lower case or
// `*` with credentials would be a compile error pointing at the token.
static API: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*.example.com", "http://localhost:*"],
    allow_methods: [GET, POST, PUT, DELETE],
    allow_headers: ["content-type", "authorization"],
    expose_headers: ["x-request-id"],
    allow_credentials: true,
    max_age: 600,
};

/// Public, read-only data: any origin, no credentials.
static PUBLIC: Policy = cors! { allow_origins: * };

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = Router::new()
        .route(
            "/items",
            get(|| async { "[\"apple\", \"pear\"]\n" }).post(|| async { StatusCode::CREATED }),
        )
        .route("/public/status", get(|| async { "ok\n" }))
        // Last, so it is the outermost layer: preflights are answered before routing,
        // and the router's own 404 and 405 get CORS headers too.
        .layer(CorsLayer::new(&API).route("/public", &PUBLIC));

    let port = std::env::var("PORT").unwrap_or_else(|_| "3000".into());
    let listener = match tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            eprintln!("port {port} is taken; using a free one");
            tokio::net::TcpListener::bind("127.0.0.1:0").await?
        }
        Err(e) => return Err(e.into()),
    };
    let url = format!("http://{}", listener.local_addr()?);

    println!("Serving on {url} (Ctrl-C to stop). Try:");
    println!();
    println!("  # an allowed preflight: 204 with Access-Control-Allow-*");
    println!(
        "  curl -i -X OPTIONS {url}/items -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT'"
    );
    println!("  # a denied one: 403, no Access-Control-Allow-* (PATCH is not allowed)");
    println!("  curl -i -X OPTIONS {url}/items -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PATCH'");
    println!("  # an actual request: the origin echoed, credentials, exposed headers, Vary");
    println!("  curl -i {url}/items -H 'Origin: https://eu.example.com'");
    println!("  # the router's 404 still carries CORS headers, so the browser sees the 404");
    println!("  curl -i {url}/nowhere -H 'Origin: https://app.example.com'");
    println!("  # /public has its own policy: any origin");
    println!("  curl -i {url}/public/status -H 'Origin: https://anyone.example.net'");

    axum::serve(listener, app).await?;
    Ok(())
}
