//! The validator: every refusal of RULES.md section 6 for origins and the scalar
//! keys, each with one code, a message and a fix; the name lists are in `names`.

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
use std::hash::Hash;

use super::{Builder, Origins, PreflightStatus};
use crate::error::{Code, Error, Field, Problem};
use crate::origin::{self, OriginTable, Pattern, PublicSuffix, Schemes, Spec};

fn field_order(f: Field) -> u8 {
    match f {
        Field::AllowOrigins => 0,
        Field::AllowMethods => 1,
        Field::AllowHeaders => 2,
        Field::ExposeHeaders => 3,
        Field::AllowCredentials => 4,
        Field::MaxAge => 5,
        Field::AllowPrivateNetwork => 6,
        Field::PreflightStatus => 7,
        Field::RoutePrefix => 8,
    }
}

/// Collects every problem of one policy, so that `build` reports them all at once.
#[derive(Default)]
pub(super) struct Validator {
    problems: Vec<Problem>,
}

/// Where each entry of a list was first seen: duplicate checks in one pass, with
/// O(1) expected work per entry (a 100,000-entry `cors!` runs this unoptimized at
/// compile time, where a scan of the earlier entries would take minutes).
pub(super) struct FirstSeen<K>(HashMap<K, usize>);

impl<K: Hash + Eq> FirstSeen<K> {
    pub(super) fn new() -> Self {
        FirstSeen(HashMap::new())
    }

    /// The index `key` was first seen at, or `None` (and `index` is recorded).
    pub(super) fn first(&mut self, key: K, index: usize) -> Option<usize> {
        match self.0.entry(key) {
            Entry::Occupied(e) => Some(*e.get()),
            Entry::Vacant(e) => {
                e.insert(index);
                None
            }
        }
    }
}

impl Validator {
    pub(super) fn push(
        &mut self,
        code: Code,
        field: Field,
        index: Option<usize>,
        value: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.problems.push(Problem {
            code,
            field,
            index,
            value: value.into(),
            message: message.into(),
            hint: hint.into(),
        });
    }

    pub(super) fn origins(&mut self, b: &Builder) -> Origins {
        let f = Field::AllowOrigins;
        if b.origins.is_empty() && b.predicate.is_some() {
            return Origins::List {
                exact: OriginTable::build(Vec::new()),
                patterns: Cow::Owned(Vec::new()),
                schemes: Schemes::default(),
                max_len: 0,
            };
        }
        if b.origins.is_empty() {
            self.push(
                Code::OriginsEmpty,
                f,
                None,
                "",
                "allow_origins is empty, so every cross-origin request would be blocked",
                "list the origins of your front ends, e.g. [\"https://app.example.com\"]",
            );
            return Origins::Any;
        }
        let mut exact: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut schemes = Schemes::default();
        let mut seen = FirstSeen::new();
        let mut any = false;
        for (i, o) in b.origins.iter().enumerate() {
            let spec = match origin::parse(o) {
                Ok(s) => s,
                Err(r) => {
                    self.push(r.code, f, Some(i), o.clone(), r.message, r.hint);
                    continue;
                }
            };
            let (insecure, parent) = match &spec {
                Spec::Any => {
                    any = true;
                    continue;
                }
                Spec::Exact(e) => (origin::exact_is_insecure(e), None),
                Spec::Pattern(p) => (p.is_insecure(), p.subdomains.then_some(&p.host)),
                // Refused below as `*` is, not as one insecure origin.
                Spec::AnyOfScheme(_) => (false, None),
            };
            if let Some(first) = seen.first(o.as_str(), i) {
                self.push(
                    Code::OriginDuplicate,
                    f,
                    Some(i),
                    o.clone(),
                    format!("origin `{o}` is listed twice (first at allow_origins[{first}])"),
                    "remove the repeated entry",
                );
                continue;
            }
            let suffix = match parent {
                Some(parent) if b.credentials && !b.public_suffix_wildcards => origin::public_suffix(parent),
                _ => None,
            };
            if let Some(suffix) = suffix {
                let message = match suffix {
                    PublicSuffix::Is => format!("origin pattern `{o}` matches every site under a public suffix, so any stranger's site could read credentialed responses"),
                    PublicSuffix::Beneath(found) => {
                        let parent = parent.map_or("", |p| p.as_ref());
                        let found = match found.starts_with("*.") {
                            true => format!("the names `{found}` are public suffixes under `{parent}`"),
                            false => format!("`{found}` is a public suffix under `{parent}`"),
                        };
                        format!("origin pattern `{o}` covers public suffixes ({found}), so any stranger's site registered under one could read credentialed responses")
                    }
                };
                self.push(
                    Code::PublicSuffixWildcard,
                    f,
                    Some(i),
                    o.clone(),
                    message,
                    "list your own domains (`https://*.yourdomain.com`), or set dangerously_allow_public_suffix_wildcards if you really mean it",
                );
            }
            if b.credentials && insecure && !b.insecure_origins {
                self.push(
                    Code::InsecureOriginWithCredentials,
                    f,
                    Some(i),
                    o.clone(),
                    format!("origin `{o}` is plain http, so a network attacker can forge it and read credentialed responses"),
                    "use https (http is fine for localhost and loopback addresses), or set dangerously_allow_insecure_origins",
                );
            }
            if b.private_network && insecure {
                self.push(
                    Code::PrivateNetworkWithInsecureOrigin,
                    f,
                    Some(i),
                    o.clone(),
                    format!("allow_private_network opens private-network resources to origin `{o}`, which is plain http and forgeable"),
                    "use an https origin, or turn allow_private_network off",
                );
            }
            if let Spec::AnyOfScheme(s) = spec {
                self.scheme_wide(b, i, o);
                schemes = schemes.union(s);
            }
            match spec {
                Spec::Exact(e) => exact.push(e),
                Spec::Pattern(p) => patterns.push(p),
                Spec::Any | Spec::AnyOfScheme(_) => {}
            }
        }
        if any && b.origins.len() > 1 {
            let i = b.origins.iter().position(|o| o == "*");
            self.push(
                Code::OriginWildcardMixed,
                f,
                i,
                "*",
                "`*` allows every origin, so listing other origins beside it means one of them is a mistake",
                "keep either `*` alone or the explicit origins",
            );
        }
        if any && b.predicate.is_some() {
            let i = b.origins.iter().position(|o| o == "*");
            self.push(
                Code::OriginWildcardMixed,
                f,
                i,
                "*",
                "`*` allows every origin, so the allow_origin_fn predicate beside it would never be asked",
                "keep either `*` alone or the predicate (with any explicit origins)",
            );
        }
        if any && b.credentials {
            self.push(
                Code::WildcardOriginWithCredentials,
                Field::AllowCredentials,
                None,
                "true",
                "credentials cannot be allowed for every origin (`allow_origins: *`): browsers reject `Access-Control-Allow-Origin: *` on credentialed requests, and echoing any origin would let every site read your users' data",
                "list the allowed origins explicitly, e.g. [\"https://app.example.com\"], or set allow_credentials: false",
            );
        }
        if any && b.private_network {
            self.push(
                Code::PrivateNetworkWithWildcardOrigin,
                Field::AllowPrivateNetwork,
                None,
                "true",
                "private network access cannot be allowed for every origin (`allow_origins: *`): any public site could then reach this private-network server",
                "list the allowed origins explicitly, or set allow_private_network: false",
            );
        }
        if any {
            return Origins::Any;
        }
        let max_len = exact
            .iter()
            .map(String::len)
            .chain(patterns.iter().map(Pattern::max_len))
            .chain([schemes.max_len()])
            .max()
            .unwrap_or(0);
        Origins::List {
            exact: OriginTable::build(exact),
            patterns: Cow::Owned(patterns),
            schemes,
            max_len,
        }
    }

    /// RULES.md section 9: `https://*` and `http://*` are refused with credentials
    /// and with private network access, as `*` is (rules 6.2 and 6.12), on the entry.
    fn scheme_wide(&mut self, b: &Builder, i: usize, o: &str) {
        let every = o.trim_end_matches('*');
        if b.credentials {
            self.push(
                Code::WildcardOriginWithCredentials,
                Field::AllowOrigins,
                Some(i),
                o,
                format!("credentials cannot be allowed for every `{every}` origin (`{o}`): echoing any such origin would let every site on that scheme read your users' data, as `*` would for every site"),
                "list the allowed origins explicitly, e.g. [\"https://app.example.com\"], or set allow_credentials: false",
            );
        }
        if b.private_network {
            self.push(
                Code::PrivateNetworkWithWildcardOrigin,
                Field::AllowOrigins,
                Some(i),
                o,
                format!("private network access cannot be allowed for every `{every}` origin (`{o}`): any public site on that scheme could then reach this private-network server"),
                "list the allowed origins explicitly, or set allow_private_network: false",
            );
        }
    }

    /// Rule 6.11: `max_age` between 0 and 86400 (API Gateway's -1 was mapped to 0 before).
    pub(super) fn max_age(&mut self, max_age: Option<i64>) {
        let Some(age) = max_age else { return };
        if age < 0 {
            self.push(
                Code::MaxAgeTooLarge,
                Field::MaxAge,
                None,
                age.to_string(),
                format!("max_age {age} is negative"),
                "use 0 to make browsers send a preflight every time (API Gateway's -1 means the same)",
            );
        } else if age > 86_400 {
            self.push(
                Code::MaxAgeTooLarge,
                Field::MaxAge,
                None,
                age.to_string(),
                format!("max_age {age} is above 86400 seconds; no browser caches a preflight longer than a day (Firefox caps at 86400, Chromium at 7200, WebKit at 600)"),
                "use at most 86400; 600 to 7200 is typical",
            );
        }
    }

    /// Rule 6.13: 200 or 204. A refused status yields the default, which
    /// [`Validator::finish`] never lets reach a policy.
    pub(super) fn preflight_status(&mut self, status: u16) -> PreflightStatus {
        if let Some(s) = PreflightStatus::from_u16(status) {
            return s;
        }
        self.push(
            Code::PreflightStatus,
            Field::PreflightStatus,
            None,
            status.to_string(),
            format!("preflight_status {status} is not a success status browsers accept for every client"),
            "use 204 (the default) or 200 for old clients that mishandle 204",
        );
        PreflightStatus::NoContent
    }

    /// Every problem found, in field order then list order, or `Ok` if there is none.
    pub(super) fn finish(self) -> Result<(), Error> {
        let mut problems = self.problems;
        if problems.is_empty() {
            return Ok(());
        }
        problems.sort_by_key(|p| (field_order(p.field), p.index));
        Err(Error::new(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::FirstSeen;
    use std::cell::Cell;
    use std::hash::{Hash, Hasher};

    thread_local!(static COMPARES: Cell<usize> = const { Cell::new(0) });

    /// A key that counts how often it is compared.
    #[derive(Eq)]
    struct Counted(usize);

    impl PartialEq for Counted {
        fn eq(&self, other: &Self) -> bool {
            COMPARES.with(|c| c.set(c.get() + 1));
            self.0 == other.0
        }
    }

    impl Hash for Counted {
        fn hash<H: Hasher>(&self, h: &mut H) {
            self.0.hash(h);
        }
    }

    /// The duplicate checks' work is linear: a scan of the earlier entries would
    /// compare n(n-1)/2 times (800 million for 40,000 names).
    #[test]
    fn first_seen_compares_a_constant_number_of_times_per_entry() {
        let n = 40_000;
        let mut seen = FirstSeen::new();
        for i in 0..n {
            assert_eq!(seen.first(Counted(i), i), None);
        }
        assert_eq!(seen.first(Counted(7), n), Some(7));
        assert_eq!(seen.first(Counted(n - 1), n + 1), Some(n - 1));
        let compares = COMPARES.with(Cell::get);
        assert!(compares <= n, "{compares} comparisons for {n} entries");
    }
}
