//! Fixes for the mistakes people make in their first hour with `cors!`: keys close
//! by meaning, values `cors!` cannot read, several list entries joined in one string.

use corsair_core::{Field, Policy};
use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

use crate::ast::KEYS;

/// The keys other CORS libraries and config formats use for each of ours,
/// normalized (lower case, no `_`): tower-http, actix-cors, rs-cors, Express,
/// Spring, API Gateway, and plain English.
const MEANT: [(&str, &[&str]); 10] = [
    (
        "allow_origins",
        &[
            "origin",
            "origins",
            "allowedorigin",
            "allowedorigins",
            "alloworiginlist",
            "corsorigins",
            "corsallowedorigins",
            "accesscontrolalloworigin",
            "domains",
            "hosts",
        ],
    ),
    (
        "allow_methods",
        &[
            "method",
            "methods",
            "allowmethod",
            "allowedmethod",
            "allowedmethods",
            "verbs",
            "accesscontrolallowmethods",
        ],
    ),
    (
        "allow_headers",
        &[
            "header",
            "headers",
            "allowheader",
            "allowedheader",
            "allowedheaders",
            "requestheaders",
            "allowrequestheaders",
            "accesscontrolallowheaders",
        ],
    ),
    (
        "expose_headers",
        &[
            "expose",
            "exposed",
            "exposeheader",
            "exposedheader",
            "exposedheaders",
            "responseheaders",
            "exposeresponseheaders",
            "accesscontrolexposeheaders",
        ],
    ),
    (
        "allow_credentials",
        &[
            "credentials",
            "credential",
            "allowcredential",
            "supportscredentials",
            "supportcredentials",
            "withcredentials",
            "cookies",
            "allowcookies",
            "accesscontrolallowcredentials",
        ],
    ),
    (
        "max_age",
        &[
            "maxagesecs",
            "maxagesec",
            "maxageseconds",
            "maxagesecond",
            "preflightmaxage",
            "preflightcache",
            "cachemaxage",
            "accesscontrolmaxage",
        ],
    ),
    (
        "allow_private_network",
        &[
            "privatenetwork",
            "privatenetworkaccess",
            "allowprivatenetworkaccess",
            "allowlocalnetwork",
            "localnetwork",
            "pna",
            "accesscontrolallowprivatenetwork",
        ],
    ),
    (
        "preflight_status",
        &[
            "status",
            "optionsstatus",
            "optionssuccessstatus",
            "preflightstatuscode",
            "preflightcontinue",
        ],
    ),
    (
        "dangerously_allow_insecure_origins",
        &["allowinsecureorigins", "insecureorigins", "allowhttp"],
    ),
    (
        "dangerously_allow_public_suffix_wildcards",
        &["allowpublicsuffixwildcards", "publicsuffixwildcards"],
    ),
];

fn normalized(key: &str) -> String {
    key.chars().filter(|c| *c != '_').flat_map(char::to_lowercase).collect()
}

/// The key someone who wrote `name` most likely meant: the same key in another
/// case (`allowOrigins`), one meaning the same (`credentials`), or one spelled
/// nearly the same (`alow_origins`).
pub(crate) fn meant_key(name: &str) -> Option<&'static str> {
    let n = normalized(name);
    if let Some(k) = KEYS.iter().find(|k| normalized(k) == n) {
        return Some(k);
    }
    if let Some((k, _)) = MEANT.iter().find(|(_, names)| names.contains(&n.as_str())) {
        return Some(k);
    }
    KEYS.iter()
        .map(|k| (edit_distance(name, k), *k))
        .min()
        .filter(|(d, k)| *d <= 3.max(k.len() / 3))
        .map(|(_, k)| k)
}

/// Levenshtein distance, for "did you mean".
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// Where to turn for a policy `cors!` cannot check when compiling.
pub(crate) const AT_RUN_TIME: &str =
    "for values known only at run time, build the policy with `Policy::builder()` or load it from a config file (`corsair::Config`)";

/// Why `cors!` refuses a name (a constant, a variable, a path), or another
/// expression (`None`), where it needs a literal.
pub(crate) fn not_literal(key: &str, name: Option<&str>) -> String {
    let cannot = match name {
        Some(name) => format!("cannot see what `{name}` holds"),
        None => "cannot evaluate an expression".to_owned(),
    };
    format!("`{key}` needs its value written out here: `cors!` checks the policy when your program compiles, so it {cannot}")
}

/// `name` when the tokens are a path such as `ORIGINS` or `config::ORIGINS`.
pub(crate) fn path(tokens: &TokenStream) -> Option<String> {
    let mut text = String::new();
    let mut want_ident = true;
    let mut trees = tokens.clone().into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Ident(i) if want_ident => {
                text.push_str(&i.to_string());
                want_ident = false;
            }
            TokenTree::Punct(p) if !want_ident && p.as_char() == ':' => match trees.next() {
                Some(TokenTree::Punct(q)) if q.as_char() == ':' => {
                    text.push_str("::");
                    want_ident = true;
                }
                _ => return None,
            },
            _ => return None,
        }
    }
    (!want_ident).then_some(text)
}

/// The list inside `vec![...]` or `&[...]`, which people write out of habit.
pub(crate) fn wrapped_list(tokens: &TokenStream) -> Option<(&'static str, Group)> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Ident(v), TokenTree::Punct(bang), TokenTree::Group(g)]
            if v == "vec" && bang.as_char() == '!' && g.delimiter() == Delimiter::Bracket =>
        {
            Some(("vec!", g.clone()))
        }
        [TokenTree::Punct(amp), TokenTree::Group(g)] if amp.as_char() == '&' && g.delimiter() == Delimiter::Bracket => {
            Some(("&", g.clone()))
        }
        _ => None,
    }
}

/// For `Duration::from_secs(600)` (any path to `Duration`, any `from_*` unit):
/// `Some(seconds)`, `None` inside when the duration is not a whole number of seconds.
pub(crate) fn duration(tokens: &TokenStream) -> Option<Option<u64>> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let (TokenTree::Group(args), head) = trees.split_last()? else {
        return None;
    };
    let head: TokenStream = head.iter().cloned().collect();
    let path = path(&head)?;
    let (ty, unit) = path.rsplit_once("::")?;
    if !(ty == "Duration" || ty.ends_with("::Duration")) || args.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let n = syn::parse2::<syn::LitInt>(args.stream())
        .ok()
        .and_then(|n| n.base10_parse::<u64>().ok());
    let seconds = match unit {
        "from_secs" => n,
        "from_mins" => n.and_then(|n| n.checked_mul(60)),
        "from_hours" => n.and_then(|n| n.checked_mul(3600)),
        "from_millis" => n.filter(|n| n % 1000 == 0).map(|n| n / 1000),
        _ => None,
    };
    Some(seconds)
}

/// The entries of a string that joins several (`"https://a.example,https://b.example"`),
/// when it does: split on commas, and for origins also on whitespace.
pub(crate) fn joined(text: &str, origins: bool) -> Option<Vec<&str>> {
    let parts: Vec<&str> = text.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
    // `data:text/html,hello` is one (opaque) origin with a comma, not a list.
    if parts.len() > 1 && (!origins || parts[0].contains("://")) {
        return Some(parts);
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    (origins && words.len() > 1 && words.iter().all(|w| w.contains("://"))).then_some(words)
}

/// The header name an identifier such as `content_type` or `CONTENT_TYPE` stands
/// for, and, when that name would be refused too, the problem (message, fix).
pub(crate) fn header_for(ident: &str, field: Field) -> (String, Option<(String, String)>) {
    let name = ident.replace('_', "-").to_ascii_lowercase();
    let builder = Policy::builder().allow_origins(["https://app.example.com"]);
    let builder = if field == Field::ExposeHeaders {
        builder.expose_headers([name.as_str()])
    } else {
        builder.allow_headers([name.as_str()])
    };
    let refused = builder.build().err().and_then(|e| {
        e.problems()
            .iter()
            .find(|p| p.field == field)
            .map(|p| (p.message.clone(), p.hint.clone()))
    });
    (name, refused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("allow_origin", "allow_origins"), 1);
        assert_eq!(edit_distance("alow_methods", "allow_methods"), 1);
        assert_eq!(edit_distance("max_ages", "max_age"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn keys_close_by_meaning() {
        for (written, meant) in [
            ("credentials", "allow_credentials"),
            ("supports_credentials", "allow_credentials"),
            ("origins", "allow_origins"),
            ("allowed_origins", "allow_origins"),
            ("allow_origin", "allow_origins"),
            ("AllowOrigins", "allow_origins"),
            ("allowOrigins", "allow_origins"),
            ("methods", "allow_methods"),
            ("allowed_methods", "allow_methods"),
            ("headers", "allow_headers"),
            ("allowed_headers", "allow_headers"),
            ("expose", "expose_headers"),
            ("exposed_headers", "expose_headers"),
            ("max_age_secs", "max_age"),
            ("max_age_seconds", "max_age"),
            ("maxAge", "max_age"),
            ("private_network", "allow_private_network"),
            ("private_network_access", "allow_private_network"),
            ("alow_headers", "allow_headers"),
        ] {
            assert_eq!(meant_key(written), Some(meant), "{written}");
        }
        assert_eq!(meant_key("timeout"), None);
    }

    #[test]
    fn every_meaning_is_a_key() {
        for (key, _) in MEANT {
            assert!(KEYS.contains(&key), "{key}");
        }
    }

    #[test]
    fn joined_lists_split() {
        assert_eq!(
            joined("https://a.example.com,https://b.example.com", true),
            Some(vec!["https://a.example.com", "https://b.example.com"])
        );
        assert_eq!(
            joined("https://a.example.com https://b.example.com", true),
            Some(vec!["https://a.example.com", "https://b.example.com"])
        );
        assert_eq!(
            joined("content-type, x-api-key", false),
            Some(vec!["content-type", "x-api-key"])
        );
        assert_eq!(joined("https://a.example.com", true), None);
        assert_eq!(joined("https://a.example.com,", true), None);
        assert_eq!(joined("https://a .example.com", true), None);
        assert_eq!(joined("data:text/html,hello", true), None);
    }

    #[test]
    fn durations_in_seconds() {
        let d = |s: &str| duration(&s.parse().unwrap());
        assert_eq!(d("Duration::from_secs(600)"), Some(Some(600)));
        assert_eq!(d("std::time::Duration::from_mins(10)"), Some(Some(600)));
        assert_eq!(d("Duration::from_millis(1500)"), Some(None));
        assert_eq!(d("Duration::from_secs(N)"), Some(None));
        assert_eq!(d("from_secs(600)"), None);
        assert_eq!(d("60 * 10"), None);
    }

    #[test]
    fn header_suggestions_are_names_that_work() {
        assert_eq!(
            header_for("content_type", Field::AllowHeaders),
            ("content-type".into(), None)
        );
        assert_eq!(header_for("CONTENT_TYPE", Field::ExposeHeaders).0, "content-type");
        assert!(header_for("cookie", Field::AllowHeaders).1.is_some());
    }
}
