use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://127.1:8080"],
};

fn main() {}
