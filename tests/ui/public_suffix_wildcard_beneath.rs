use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://*.core.windows.net"],
    allow_credentials: true,
};

fn main() {}
