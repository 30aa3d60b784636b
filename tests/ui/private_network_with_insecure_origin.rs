use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://printer.example.com"],
    allow_private_network: true,
};

fn main() {}
