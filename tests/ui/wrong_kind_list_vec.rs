use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: vec!["https://app.example.com"],
};

fn main() {}
