//! Every refusal of RULES.md section 6, and every DSL error, as a compile error:
//! one file a diagnostic under `tests/ui/`, with its reviewed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
