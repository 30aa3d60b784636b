use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://bücher.example"],
};

fn main() {}
