//! The compile error the README shows is the one `cors!` really gives: its
//! example and output are `tests/ui/origin_has_trailing_slash.{rs,stderr}` verbatim.

fn fenced_block_after<'a>(text: &'a str, fence: &str) -> &'a str {
    let start = text
        .find(fence)
        .unwrap_or_else(|| panic!("README has no {fence} block"))
        + fence.len();
    let body = text[start..].trim_start_matches('\n');
    &body[..body.find("\n```").expect("unclosed block") + 1]
}

#[test]
fn readme_error_matches_ui_case() {
    let readme = include_str!("../README.md");
    assert_eq!(
        fenced_block_after(readme, "```rust,compile_fail"),
        include_str!("ui/origin_has_trailing_slash.rs")
    );
    assert_eq!(
        fenced_block_after(readme, "```text"),
        include_str!("ui/origin_has_trailing_slash.stderr")
    );
}
