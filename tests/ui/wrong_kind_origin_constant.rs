use corsair::{cors, Policy};

const APP: &str = "https://app.example.com";

static POLICY: Policy = cors! {
    allow_origins: [APP],
};

fn main() {
    let _ = APP;
}
