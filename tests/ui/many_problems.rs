use corsair::{cors, Policy};

// Every problem of a block is reported in one compile, in the order written.
static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com/", "http://admin.example.com"],
    allow_methods: [GET, patch, 42],
    alow_headers: ["content-type"],
    allow_credentials: true,
    max_age: 90000,
};

fn main() {}
