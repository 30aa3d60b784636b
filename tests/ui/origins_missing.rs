use corsair::{cors, Policy};

static POLICY: Policy = cors! {
    allow_methods: [GET, PUT],
};

fn main() {}
