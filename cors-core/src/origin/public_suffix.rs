//! tmp
/// Is `domain` itself a suffix listed in the Public Suffix List?
/// Names the list does not know (`localhost`, `internal`) are not.
///
/// A name covered only by a wildcard rule (`*.ck`, `*.compute.amazonaws.com`) is
/// not itself a suffix, but every name one label below it is: `*.ck` would match
/// strangers' sites, so such a parent counts too. (A parent with suffixes further
/// below, like `amazonaws.com`, cannot be told from the list; see the docs.)
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let listed =
        |name: &str| psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == name.as_bytes());
    listed(domain) || listed(&format!("x.{domain}"))
}
