use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["HTTPS://app.example.com"],
};

fn main() {}
