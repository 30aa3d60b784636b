use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://[::ffff:127.0.0.1]:8080"],
};

fn main() {}
