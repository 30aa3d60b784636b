use corsair::{cors, Policy};
use std::time::Duration;

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    max_age: Duration::from_secs(600),
};

fn main() {
    let _ = Duration::ZERO;
}
