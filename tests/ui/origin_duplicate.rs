use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://app.example.com"],
};

fn main() {}
