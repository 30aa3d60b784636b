use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://*.[::1]"],
};

fn main() {}
