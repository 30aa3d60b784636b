use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://localhost:"],
};

fn main() {}
