use corsair::{cors, Policy};

// API Gateway's spelling, quoted: one error that names our key.
static POLICY: Policy = cors! {
    "AllowOrigins": ["https://app.example.com"],
};

fn main() {}
