use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: [*],
};

fn main() {}
