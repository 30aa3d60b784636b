//! An actix-web server whose CORS policy is answered by `corsair`.
//!
//! ```text
//! cargo run --example actix --features actix
//! ```
//!
//! It serves on 127.0.0.1 (port 8080, or `PORT`) until killed, and prints curl
//! commands to try.

use actix_web::error::ErrorUnauthorized;
use actix_web::{web, App, HttpResponse, HttpServer};
use corsair::actix::Cors;
use corsair::{cors, Policy};

// Checked when the program compiles, like every `cors!` policy.
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

async fn items() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("x-request-id", "42"))
        .body("[\"apple\", \"pear\"]\n")
}

async fn secret() -> Result<&'static str, actix_web::Error> {
    // A handler error: the browser still sees the 401 (not a CORS error).
    Err(ErrorUnauthorized("log in first\n"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Made once (the policy's header values are converted to actix-web's types
    // here), then cloned into each worker's App.
    let cors = Cors::new(&API).route("/public", &PUBLIC);

    let port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).or_else(|e| {
        eprintln!("port {port} is not available ({e}); using a free one");
        std::net::TcpListener::bind("127.0.0.1:0")
    })?;
    let url = format!("http://{}", listener.local_addr()?);

    println!("Serving on {url} (Ctrl-C to stop). Try:");
    println!();
    println!(
        "  curl -i -X OPTIONS {url}/items -H 'Origin: https://app.example.com' -H 'Access-Control-Request-Method: PUT'"
    );
    println!("  curl -i -X OPTIONS {url}/items -H 'Origin: https://evil.example.net' -H 'Access-Control-Request-Method: PUT'");
    println!("  curl -i {url}/items -H 'Origin: https://eu.example.com'");
    println!("  curl -i {url}/secret -H 'Origin: https://app.example.com'");
    println!("  curl -i {url}/public/status -H 'Origin: https://anyone.example.net'");

    actix_web::rt::System::new().block_on(
        HttpServer::new(move || {
            App::new()
                .service(web::resource("/items").get(items))
                .service(web::resource("/secret").get(secret))
                .service(web::resource("/public/status").get(|| async { "ok\n" }))
                // Last, so it is the outermost middleware.
                .wrap(cors.clone())
        })
        .listen(listener)?
        .run(),
    )?;
    Ok(())
}
