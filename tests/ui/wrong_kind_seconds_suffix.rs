use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    max_age: 600u64,
};

fn main() {}
