use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_origins: ["https://user:pass@app.example.com"],
};

fn main() {}
