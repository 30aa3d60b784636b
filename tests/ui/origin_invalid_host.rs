use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app_example!.com"],
};

fn main() {}
