use corsair::{cors, Policy};

// One string holding several origins, as API Gateway's console and many env vars write them.
static POLICY: Policy = cors! {
    allow_origins: ["https://a.example.com,https://b.example.com"],
};

fn main() {}
