use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["data:text/html,hello"],
};

fn main() {}
