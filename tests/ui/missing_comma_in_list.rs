use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://a.example.com" "https://b.example.com"],
};

fn main() {}
