use corsair::{cors, Policy};

// An empty block has no token of the user's to point at (a macro is not passed its
// braces), so the error is on `cors! {}`, with a note naming `cors`, never our internal path.

static POLICY: Policy = cors! {};

fn main() {}
