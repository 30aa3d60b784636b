use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["app.example.com"],
};

fn main() {}
