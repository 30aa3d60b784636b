use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://*"],
    allow_private_network: true,
};

fn main() {}
