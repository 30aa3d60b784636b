use corsair::{cors, Policy};

// One error: the unknown key, not also "`allow_origins` is missing".
static POLICY: Policy = cors! {
    origins: ["https://app.example.com"],
};

fn main() {}
