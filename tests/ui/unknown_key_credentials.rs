use corsair::{cors, Policy};

// Close by meaning, not by spelling: suggest the key the user meant.
static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    credentials: true,
};

fn main() {}
