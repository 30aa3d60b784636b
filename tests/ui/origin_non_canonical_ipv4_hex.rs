use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://0x7f.0.0.1:8080"],
};

fn main() {}
