use corsair::{cors, Policy};

// A JSON habit: one error, and no spurious "`allow_origins` is missing".
static POLICY: Policy = cors! {
    "allow_origins": ["https://app.example.com"],
};

fn main() {}
