use corsair::{cors, Policy};

// `http::header::CONTENT_TYPE` is a constant; `cors!` needs the name as a string.
static POLICY: Policy = cors! {
    allow_origins: ["https://app.example.com"],
    expose_headers: [CONTENT_TYPE],
};

fn main() {}
