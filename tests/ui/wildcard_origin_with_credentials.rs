use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: *,
    allow_credentials: true,
};

fn main() {}
