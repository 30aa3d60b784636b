use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_methods: [http::Method::GET],
};

fn main() {}
