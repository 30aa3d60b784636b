use corsair::{cors, Policy};

const CREDENTIALS: bool = true;

static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_credentials: CREDENTIALS,
};

fn main() {
    let _ = CREDENTIALS;
}
