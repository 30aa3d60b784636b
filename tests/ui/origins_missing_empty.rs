use corsair::{cors, Policy};

// An empty block has no token of the user's to point at (the braces are not passed to
// a macro), so the error is on `cors! {}` itself, with rustc's note naming `cors`.

static POLICY: Policy = cors! {};

fn main() {}
