use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://localhost:08080"],
};

fn main() {}
