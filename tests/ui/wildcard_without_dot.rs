use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://*example.com"],
};

fn main() {}
