use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    timeout: 30,
};

fn main() {}
