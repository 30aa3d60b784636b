use corsair::{cors, Policy};

// The string the identifier stands for would be refused too: say so, instead of suggesting it.
static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_headers: [cookie],
};

fn main() {}
