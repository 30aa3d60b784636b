//! README.md shows an error as the builder prints it; this keeps the two in sync.

#[test]
fn readme_shows_the_real_builder_error() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("```text\ninvalid CORS policy")
        .expect("README shows a builder error")
        + "```text\n".len();
    let end = start + readme[start..].find("\n```").unwrap();
    let err = cors::Policy::builder()
        .allow_origins(["https://app.example.com/", "*"])
        .allow_methods(["patch"])
        .allow_credentials(true)
        .build()
        .unwrap_err();
    assert_eq!(&readme[start..end], err.to_string());
}
