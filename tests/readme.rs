//! What README.md shows is what the code really does: the `cors!` compile error is
//! `tests/ui/origin_comma_joined.{rs,stderr}` verbatim, and the builder error
//! is the builder's own output.

fn fenced_block_after<'a>(text: &'a str, fence: &str) -> &'a str {
    let start = text
        .find(fence)
        .unwrap_or_else(|| panic!("README has no {fence} block"))
        + fence.len();
    let body = text[start..].trim_start_matches('\n');
    &body[..body.find("\n```").expect("unclosed block") + 1]
}

const README: &str = include_str!("../README.md");

#[test]
fn readme_shows_the_real_compile_error() {
    assert_eq!(
        fenced_block_after(README, "```rust,compile_fail"),
        include_str!("ui/origin_comma_joined.rs")
    );
    assert_eq!(
        fenced_block_after(README, "```text\nerror"),
        &include_str!("ui/origin_comma_joined.stderr")["error".len()..]
    );
}

#[test]
fn readme_shows_the_real_builder_error() {
    let err = corsair::Policy::builder()
        .allow_origins(["https://app.example.com/", "*"])
        .allow_methods(["patch"])
        .allow_credentials(true)
        .build()
        .unwrap_err();
    assert_eq!(
        fenced_block_after(README, "```text\ninvalid CORS policy"),
        format!("{}\n", &err.to_string()["invalid CORS policy".len()..])
    );
}
