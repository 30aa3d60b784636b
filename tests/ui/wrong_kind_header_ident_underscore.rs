use corsair::{cors, Policy};

// Header names use `-`: the fix is `"content-type"`, never `"content_type"` (valid, but it never matches).
static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    allow_headers: [content_type],
};

fn main() {}
