//! The per-route table: a default entry and validated path-prefix overrides, and
//! the fail-closed choice of one entry for a request path (RULES.md section 7).

use crate::error::{Code, Error, Field, Problem};

use super::path::{is_plain, select, Reading, MAX_PREFIX_SEGMENTS};

/// A default and path-prefix overrides. Prefixes match whole path segments:
/// `/public` matches `/public` and `/public/x`, never `/publicity`.
#[derive(Clone, Debug)]
pub(crate) struct Routes<T> {
    default: T,
    /// Most segments first, so the first match is the longest; stored with a
    /// leading `/` and no trailing one (the root `/` is `""`).
    prefixes: Vec<(Box<str>, T)>,
    /// The problems of prefixes given to the infallible `route()`: while there
    /// is one, every request is refused.
    invalid: Vec<Problem>,
}

/// The entry chosen for a request path.
#[derive(Debug)]
pub(crate) enum Choice<'a, T> {
    /// Every reading of the path selects this entry.
    Entry(&'a T),
    /// No entry can be trusted: grant nothing. `entry` is the raw path's (its
    /// policy still classifies the request and sets `Vary`).
    Refused { entry: &'a T, why: Refusal<'a> },
}

/// Why a [`Choice::Refused`].
#[derive(Clone, Copy, Debug)]
pub(crate) enum Refusal<'a> {
    /// The path as received selects `raw`, read `reading` it selects `other`
    /// (each a prefix, `None` for the default).
    Ambiguous {
        raw: Option<&'a str>,
        other: Option<&'a str>,
        reading: Reading,
    },
    /// A prefix given to `route()` was invalid.
    Misconfigured(&'a Problem),
}

impl<T> Routes<T> {
    pub(crate) fn new(default: T) -> Self {
        Routes {
            default,
            prefixes: Vec::new(),
            invalid: Vec::new(),
        }
    }

    /// Adds (or replaces) the entry for `prefix`, or returns every problem with it.
    pub(crate) fn try_add(&mut self, prefix: &str, entry: T) -> Result<(), Error> {
        let mut problems = check_prefix(prefix);
        let trimmed = prefix.trim_end_matches('/');
        if let Some((other, _)) = self
            .prefixes
            .iter()
            .find(|(p, _)| p.eq_ignore_ascii_case(trimmed) && **p != *trimmed)
        {
            problems.push(problem(
                prefix,
                format!(
                    "route prefix `{}` differs from `{other}` only in case; paths are also read with case folded, so requests under either would be refused",
                    prefix.escape_debug()
                ),
                format!("give both paths one policy, under \"{other}\" alone"),
            ));
        }
        if !problems.is_empty() {
            return Err(Error::new(problems));
        }
        let prefix: Box<str> = trimmed.into();
        match self.prefixes.iter_mut().find(|(p, _)| *p == prefix) {
            Some(slot) => slot.1 = entry,
            None => {
                self.prefixes.push((prefix, entry));
                self.prefixes
                    .sort_by_key(|(p, _)| std::cmp::Reverse(p.bytes().filter(|&b| b == b'/').count()));
            }
        }
        Ok(())
    }

    /// Like [`Routes::try_add`], keeping a bad prefix's problems: from then on
    /// every request is refused, and a warning event is emitted (feature `tracing`).
    pub(crate) fn add(&mut self, prefix: &str, entry: T) {
        if let Err(err) = self.try_add(prefix, entry) {
            #[cfg(feature = "tracing")]
            tracing::warn!(
                target: "corsair",
                error = %err,
                "invalid route prefix: this CORS layer grants nothing until it is fixed (try_route returns the error)"
            );
            self.invalid.extend(err.into_problems());
        }
    }

    /// The problems of bad prefixes given to `add`.
    #[cfg(test)]
    pub(crate) fn invalid(&self) -> &[Problem] {
        &self.invalid
    }

    fn entry(&self, index: Option<usize>) -> &T {
        index.map_or(&self.default, |i| &self.prefixes[i].1)
    }

    fn name(&self, index: Option<usize>) -> Option<&str> {
        index.map(|i| &*self.prefixes[i].0)
    }

    /// The entry for a request path (without its query), fail-closed: when the
    /// path as received and any other [`Reading`] of it select different entries,
    /// [`Choice::Refused`]. Allocates nothing; a path with nothing to normalize
    /// (no `%`, `\`, `//`, `.` or `..` segment) is read once, any other at most
    /// 18 times, each linear in the path and the prefixes.
    #[inline]
    pub(crate) fn choose(&self, path: &str) -> Choice<'_, T> {
        // One policy and no prefix (the common layer): nothing to read, inlined.
        if self.invalid.is_empty() && self.prefixes.is_empty() {
            return Choice::Entry(&self.default);
        }
        self.choose_among(path)
    }

    /// [`Routes::choose`] with prefixes or a misconfiguration.
    fn choose_among(&self, path: &str) -> Choice<'_, T> {
        if let Some(problem) = self.invalid.first() {
            return Choice::Refused {
                entry: &self.default,
                why: Refusal::Misconfigured(problem),
            };
        }
        if self.prefixes.is_empty() {
            return Choice::Entry(&self.default);
        }
        let path = path.as_bytes();
        let prefixes = || self.prefixes.iter().map(|(p, _)| &**p);
        let raw = select(path, Reading::RAW, prefixes());
        if !is_plain(path) {
            for reading in Reading::OTHERS {
                let other = select(path, reading, prefixes());
                if other != raw {
                    return Choice::Refused {
                        entry: self.entry(raw),
                        why: Refusal::Ambiguous {
                            raw: self.name(raw),
                            other: self.name(other),
                            reading,
                        },
                    };
                }
            }
        }
        Choice::Entry(self.entry(raw))
    }
}

fn problem(prefix: &str, message: String, hint: String) -> Problem {
    Problem {
        code: Code::RoutePrefixInvalid,
        field: Field::RoutePrefix,
        index: None,
        value: prefix.to_owned(),
        message,
        hint,
    }
}

/// Every problem with a route prefix (RULES.md section 7): it must be a literal
/// path prefix, as clients send paths.
fn check_prefix(prefix: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut refuse = |message: String, hint: String| problems.push(problem(prefix, message, hint));
    let shown = prefix.escape_debug();
    if prefix.is_empty() {
        refuse(
            "route prefix is empty".into(),
            "write \"/\" for every path (the same as the default policy) or a path such as \"/admin\"".into(),
        );
        return problems;
    }
    if !prefix.starts_with('/') {
        refuse(
            format!("route prefix `{shown}` does not start with `/`; it never matches a request path"),
            format!("write \"/{}\"", prefix.trim_start_matches('/').escape_debug()),
        );
    }
    let pattern = |b: char| matches!(b, '*' | '{' | '}');
    let segments = || {
        prefix
            .strip_prefix('/')
            .unwrap_or(prefix)
            .trim_end_matches('/')
            .split('/')
    };
    if prefix.contains(pattern) || segments().any(|s| s.starts_with(':')) {
        let literal: String = segments()
            .take_while(|s| !s.contains(pattern) && !s.starts_with(':'))
            .map(|s| format!("/{s}"))
            .collect();
        let literal = if literal.is_empty() { "/".to_owned() } else { literal };
        refuse(
            format!("route prefix `{shown}` holds route-pattern syntax (`*`, `{{..}}` or `:name`); prefixes are literal and never match it"),
            format!("write the literal part, \"{literal}\": a prefix already covers every path below it"),
        );
    }
    if prefix.chars().any(|c| c.is_whitespace() || c.is_control()) {
        refuse(
            format!("route prefix `{shown}` holds white space or a control character; request paths never do"),
            format!(
                "write \"{}\"",
                prefix
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .escape_debug()
            ),
        );
    }
    if let Some(c) = prefix.chars().find(|c| matches!(c, '?' | '#')) {
        refuse(
            format!("route prefix `{shown}` holds `{c}`; the query and fragment are never part of the path a prefix is matched against"),
            format!("write the path part, \"{}\"", prefix.split(['?', '#']).next().unwrap_or("/")),
        );
    }
    if prefix.contains('%') {
        refuse(
            format!("route prefix `{shown}` holds a percent-escape; it would match the path as received but not the path decoded, so every request under it would be refused"),
            "write the characters themselves (ASCII letters, digits and - . _ ~ ! $ & ' ( ) + , ; = : @); for a path that needs escapes, use the prefix above it".into(),
        );
    }
    let odd = |c: char| {
        !(c.is_ascii_alphanumeric()
            || "/-._~!$&'()+,;=:@".contains(c)
            || "*{}?#%".contains(c)
            || c.is_whitespace()
            || c.is_control())
    };
    if let Some(c) = prefix.chars().find(|&c| odd(c)) {
        refuse(
            format!(
                "route prefix `{shown}` holds `{}`, which a client sends percent-encoded, so the prefix never matches",
                c.escape_debug()
            ),
            "use only ASCII letters, digits and - . _ ~ ! $ & ' ( ) + , ; = : @ between the slashes".into(),
        );
    }
    if prefix.starts_with('/') && prefix != "/" {
        if segments().any(str::is_empty) {
            refuse(
                format!("route prefix `{shown}` has an empty segment (`//`); the table compares normalized segments, so it never matches"),
                format!("write \"/{}\"", segments().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/")),
            );
        }
        if segments().any(|s| s == "." || s == "..") {
            refuse(
                format!("route prefix `{shown}` has a `.` or `..` segment; paths are resolved before they are compared, so it never matches"),
                "write the resolved path, without `.` and `..` segments".into(),
            );
        }
        let n = segments().count();
        if n > MAX_PREFIX_SEGMENTS {
            refuse(
                format!(
                    "route prefix `{shown}` has {n} segments, more than the {MAX_PREFIX_SEGMENTS} a prefix may have"
                ),
                format!("use a shorter prefix (at most {MAX_PREFIX_SEGMENTS} segments)"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::{Choice, Refusal, Routes};

    fn get<'a>(r: &'a Routes<&'static str>, path: &str) -> &'a str {
        match r.choose(path) {
            Choice::Entry(e) => e,
            Choice::Refused { .. } => "refused",
        }
    }

    #[test]
    fn longest_whole_segment_prefix_wins() {
        let mut r = Routes::new("default");
        r.add("/public", "public");
        r.add("/public/admin/", "admin");
        r.add("/api", "api");
        assert!(r.invalid().is_empty());
        assert_eq!(get(&r, "/public"), "public");
        assert_eq!(get(&r, "/public/"), "public");
        assert_eq!(get(&r, "/public/x"), "public");
        assert_eq!(get(&r, "/publicity"), "default");
        assert_eq!(get(&r, "/public/admin"), "admin");
        assert_eq!(get(&r, "/public/admin/users"), "admin");
        assert_eq!(get(&r, "/public/administrator"), "public");
        assert_eq!(get(&r, "/api/items"), "api");
        assert_eq!(get(&r, "/"), "default");
        assert_eq!(get(&r, "*"), "default");
        assert_eq!(get(&r, "//public"), "refused");
    }

    #[test]
    fn a_repeated_prefix_replaces_and_root_matches_everything() {
        let mut r = Routes::new("default");
        r.add("/public", "first");
        r.add("/public/", "second");
        assert_eq!(get(&r, "/public/x"), "second");
        r.add("/", "root");
        assert_eq!(get(&r, "/anything"), "root");
        assert_eq!(get(&r, "/public"), "second");
    }

    #[test]
    fn without_overrides_every_path_is_the_default() {
        let r = Routes::new("default");
        assert_eq!(get(&r, "//private/../x%2F"), "default");
    }

    #[test]
    fn a_bad_prefix_refuses_every_path() {
        let mut r = Routes::new("default");
        r.add("/admin/*", "admin");
        assert_eq!(r.invalid().len(), 1);
        match r.choose("/public") {
            Choice::Refused {
                entry,
                why: Refusal::Misconfigured(p),
            } => {
                assert_eq!(*entry, "default");
                assert_eq!(p.value, "/admin/*");
            }
            other => panic!("{other:?}"),
        }
    }
}
