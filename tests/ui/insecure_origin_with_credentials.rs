use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["http://app.example.com"],
    allow_credentials: true,
};

fn main() {}
