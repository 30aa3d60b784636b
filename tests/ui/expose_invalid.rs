use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["x-request-id: 1"],
};

fn main() {}
