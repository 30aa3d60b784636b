use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://*.127.0.0.1"],
};

fn main() {}
