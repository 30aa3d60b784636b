use corsair::{cors, Policy};

const ORIGINS: [&str; 1] = ["https://app.example.com"];

static POLICY: Policy = cors! {
    allow_origins: ORIGINS,
};

fn main() {
    let _ = ORIGINS;
}
