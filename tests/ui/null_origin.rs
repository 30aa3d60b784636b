use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["null"],
};

fn main() {}
