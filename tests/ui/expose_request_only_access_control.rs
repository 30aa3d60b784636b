use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    expose_headers: ["access-control-request-headers"],
};

fn main() {}
