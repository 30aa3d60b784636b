use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://*.github.io"],
    allow_credentials: true,
};

fn main() {}
