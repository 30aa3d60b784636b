use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://api.*.example.com"],
};

fn main() {}
