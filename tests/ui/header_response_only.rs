use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_headers: ["access-control-allow-origin"],
};

fn main() {}
