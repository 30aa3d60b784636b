//! The Public Suffix List guard of rule 6.7: with credentials, a subdomain pattern's
//! parent must be neither a public suffix nor a domain with public suffixes beneath it.

use std::cmp::Ordering;

/// `parent example` lines, sorted bytewise by `parent`: every domain that is not
/// itself a public suffix but has one beneath it, with one such suffix (`*.base`
/// for a wildcard rule). Generated from the `psl` crate's own `data/rules.txt` by
/// `tools/public_suffix_parents.py`; the tests below check it against `psl`.
///
/// Why a table: the `psl` crate answers "what is the suffix of this name" but
/// cannot list what lies beneath a domain, and a second list crate (or the whole
/// list text, 160 KB) is more than validation needs. This table is 26 KB, read
/// only when a policy is validated, never on the request path.
const PARENTS: &str = include_str!("public_suffix_parents.txt");

/// Why a subdomain pattern on some parent would cover strangers' sites.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PublicSuffix {
    /// The parent itself is a public suffix, or every name one label below it is (`*.ck`).
    Is,
    /// The list has this suffix beneath the parent (`blob.core.windows.net` under
    /// `windows.net`); `*.base` stands for a wildcard rule's names.
    Beneath(&'static str),
}

/// Is `parent` (the domain after `*.` in a pattern) a public suffix, or one with
/// public suffixes beneath it? Names the list does not know (`localhost`,
/// `internal`) are neither.
///
/// A name covered only by a wildcard rule (`*.ck`, `*.compute.amazonaws.com`) is
/// not itself a suffix, but every name one label below it is, so it counts as one.
pub(crate) fn public_suffix(parent: &str) -> Option<PublicSuffix> {
    if is_public_suffix(parent) {
        return Some(PublicSuffix::Is);
    }
    beneath(parent).map(PublicSuffix::Beneath)
}

/// Is `domain` itself a suffix for `psl`, or is every name one label below it?
pub(crate) fn is_public_suffix(domain: &str) -> bool {
    let listed =
        |name: &str| psl::suffix(name.as_bytes()).is_some_and(|s| s.is_known() && s.as_bytes() == name.as_bytes());
    // The probe label `_` is in no rule (unlike `x`: the list has `x.mythic-beasts.com`),
    // so only a wildcard rule makes `_.domain` a suffix.
    listed(domain) || listed(&format!("_.{domain}"))
}

/// The table's example suffix beneath `parent`: a binary search over the lines
/// of [`PARENTS`], allocating nothing.
fn beneath(parent: &str) -> Option<&'static str> {
    let bytes = PARENTS.as_bytes();
    // `lo` and `hi` always stand at line starts (or the end).
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = bytes[lo..mid]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(lo, |i| lo + i + 1);
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| start + i);
        let (name, example) = PARENTS[start..end].split_once(' ')?;
        match name.cmp(parent) {
            Ordering::Equal => return Some(example),
            Ordering::Less => lo = end + 1,
            Ordering::Greater => hi = start,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_of_public_suffixes() {
        assert_eq!(
            public_suffix("on.aws"),
            Some(PublicSuffix::Beneath("lambda-url.af-south-1.on.aws"))
        );
        assert_eq!(
            public_suffix("windows.net"),
            Some(PublicSuffix::Beneath("servicebus.windows.net"))
        );
        assert_eq!(
            public_suffix("core.windows.net"),
            Some(PublicSuffix::Beneath("blob.core.windows.net"))
        );
        assert_eq!(
            public_suffix("amazonaws.com"),
            Some(PublicSuffix::Beneath("s3-1.amazonaws.com"))
        );
        assert_eq!(
            public_suffix("mythic-beasts.com"),
            Some(PublicSuffix::Beneath("caracal.mythic-beasts.com"))
        );
        for suffix in [
            "com",
            "github.io",
            "co.uk",
            "ck",
            "compute.amazonaws.com",
            "blob.core.windows.net",
        ] {
            assert_eq!(public_suffix(suffix), Some(PublicSuffix::Is), "{suffix}");
        }
        for fine in [
            "example.com",
            "api.example.com",
            "localhost",
            "internal",
            "a.blob.core.windows.net",
            "zzzz",
            "a",
        ] {
            assert_eq!(public_suffix(fine), None, "{fine}");
        }
    }

    #[test]
    fn suffixes_themselves() {
        assert!(is_public_suffix("com"));
        assert!(is_public_suffix("github.io"));
        assert!(is_public_suffix("co.uk"));
        assert!(!is_public_suffix("example.com"));
        assert!(!is_public_suffix("localhost"));
        assert!(!is_public_suffix("internal"));
    }

    /// The table agrees with the `psl` crate the policy is checked against: each
    /// parent is not a suffix there, each example is. A `psl` update that adds or
    /// drops suffixes fails here: regenerate the table (see its doc).
    #[test]
    fn table_matches_psl() {
        let lines: Vec<(&str, &str)> = PARENTS.lines().map(|l| l.split_once(' ').unwrap()).collect();
        assert!(lines.len() > 400, "{}", lines.len());
        assert!(lines.windows(2).all(|w| w[0].0 < w[1].0), "sorted, no repeats");
        for &(parent, example) in &lines {
            assert!(!is_public_suffix(parent), "{parent} is a suffix itself");
            let name = match example.strip_prefix("*.") {
                Some(base) => format!("_.{base}"),
                None => example.to_owned(),
            };
            assert!(name.ends_with(&format!(".{parent}")), "{example} is not under {parent}");
            assert!(is_public_suffix(&name), "{example} is not a suffix for psl");
            assert_eq!(beneath(parent), Some(example), "binary search finds {parent}");
            assert_eq!(beneath(&format!("{parent}x")), None);
        }
    }
}
