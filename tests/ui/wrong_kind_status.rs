use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    preflight_status: 70000,
};

fn main() {}
