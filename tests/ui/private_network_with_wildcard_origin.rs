use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: *,
    allow_private_network: true,
};

fn main() {}
