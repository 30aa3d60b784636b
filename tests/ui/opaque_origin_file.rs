use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["file://"],
};

fn main() {}
