use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com", "https://*"],
    allow_credentials: true,
};

fn main() {}
