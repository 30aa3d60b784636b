//! The `cors! { ... }` block as written: every key and value, with its span.
//! Syntax and key errors are found here, value-kind errors in `value`; the policy rules live in corsair-core.

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Token};

use crate::hint;
use crate::value::Value;

/// Every key `cors!` knows.
pub(crate) const KEYS: [&str; 10] = [
    "allow_origins",
    "allow_methods",
    "allow_headers",
    "expose_headers",
    "allow_credentials",
    "max_age",
    "allow_private_network",
    "preflight_status",
    "dangerously_allow_insecure_origins",
    "dangerously_allow_public_suffix_wildcards",
];

/// The macro input: `$crate; key: value, ...`.
pub(crate) struct Input {
    /// The facade crate's path, forwarded by its `macro_rules! cors` as `$crate`.
    pub(crate) krate: TokenStream,
    pub(crate) allow_origins: Option<Keyed<List>>,
    pub(crate) allow_methods: Option<Keyed<List>>,
    pub(crate) allow_headers: Option<Keyed<List>>,
    pub(crate) expose_headers: Option<Keyed<List>>,
    pub(crate) allow_credentials: Option<Keyed<bool>>,
    pub(crate) max_age: Option<Keyed<u32>>,
    pub(crate) allow_private_network: Option<Keyed<bool>>,
    pub(crate) preflight_status: Option<Keyed<u16>>,
    pub(crate) dangerously_allow_insecure_origins: Option<Keyed<bool>>,
    pub(crate) dangerously_allow_public_suffix_wildcards: Option<Keyed<bool>>,
    /// Every known key written, whether or not its value could be used.
    pub(crate) written: Vec<Ident>,
    /// Keys the user meant by an unknown key (`origins` for `allow_origins`):
    /// that error is enough, so they are not also reported missing.
    pub(crate) meant: Vec<&'static str>,
    /// The first token written in the block, for errors about the block as a whole.
    pub(crate) first: Option<Span>,
    /// Syntax errors, unknown and repeated keys, values of the wrong kind.
    pub(crate) errors: Vec<(Position, syn::Error)>,
    /// The entry being parsed: the how-manyth `key: value`.
    entry: usize,
}

/// Where in the block an error is: (entry, list element), to report errors in
/// the order they are written.
pub(crate) type Position = (usize, usize);

/// A key as written, with its value.
pub(crate) struct Keyed<T> {
    /// The how-manyth entry of the block this is.
    pub(crate) entry: usize,
    /// The value's tokens, to point at the value as a whole (`true`, `[]`, `90000`).
    pub(crate) tokens: TokenStream,
    pub(crate) value: T,
    /// Some list elements were of the wrong kind and left out, so a problem
    /// about the list as a whole (say, "empty") would be about our omission.
    pub(crate) partial: bool,
}

/// A list value. A bare `*` is the one-element list `["*"]`.
pub(crate) struct List {
    pub(crate) items: Vec<Item>,
}

/// One list element: its text, and where it was written.
pub(crate) struct Item {
    pub(crate) text: String,
    pub(crate) span: Span,
    /// The how-manyth element of the list as written (elements of the wrong kind included).
    pub(crate) element: usize,
}

/// What a key's value is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Origins,
    Methods,
    RequestHeaders,
    ExposeHeaders,
    Flag,
    Seconds,
    Status,
}

pub(crate) fn kind_of(key: &str) -> Option<Kind> {
    Some(match key {
        "allow_origins" => Kind::Origins,
        "allow_methods" => Kind::Methods,
        "allow_headers" => Kind::RequestHeaders,
        "expose_headers" => Kind::ExposeHeaders,
        "allow_credentials"
        | "allow_private_network"
        | "dangerously_allow_insecure_origins"
        | "dangerously_allow_public_suffix_wildcards" => Kind::Flag,
        "max_age" => Kind::Seconds,
        "preflight_status" => Kind::Status,
        _ => return None,
    })
}

/// An example of a well-formed value, for hints.
pub(crate) fn example(key: &str) -> String {
    let value = match kind_of(key) {
        Some(Kind::Origins) => "[\"https://app.example.com\"]",
        Some(Kind::Methods) => "[GET, POST]",
        Some(Kind::RequestHeaders) => "[\"content-type\"]",
        Some(Kind::ExposeHeaders) => "[\"x-request-id\"]",
        Some(Kind::Flag) => "true",
        Some(Kind::Seconds) => "600",
        Some(Kind::Status) => "200",
        None => "...",
    };
    format!("write e.g. `{key}: {value}`")
}

/// A message and its fix, as one diagnostic text.
pub(crate) fn error(span: Span, message: &str, hint: &str) -> syn::Error {
    syn::Error::new(span, format!("{message}\n= help: {hint}"))
}

pub(crate) fn error_spanned(tokens: &TokenStream, message: &str, hint: &str) -> syn::Error {
    syn::Error::new_spanned(tokens, format!("{message}\n= help: {hint}"))
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut krate = TokenStream::new();
        while !input.peek(Token![;]) {
            if input.is_empty() {
                return Err(input.error("this is the `cors!` macro's implementation; write `cors! { ... }`"));
            }
            krate.extend([input.parse::<TokenTree>()?]);
        }
        input.parse::<Token![;]>()?;
        let first = input
            .cursor()
            .token_tree()
            .map(|(tree, _)| match tree {
                TokenTree::Group(g) => g.span_open(),
                other => other.span(),
            })
            .or_else(|| krate.clone().into_iter().next().map(|t| t.span()));
        let mut parsed = Input {
            krate,
            allow_origins: None,
            allow_methods: None,
            allow_headers: None,
            expose_headers: None,
            allow_credentials: None,
            max_age: None,
            allow_private_network: None,
            preflight_status: None,
            dangerously_allow_insecure_origins: None,
            dangerously_allow_public_suffix_wildcards: None,
            written: Vec::new(),
            meant: Vec::new(),
            first,
            errors: Vec::new(),
            entry: 0,
        };
        parsed.entries(input)?;
        Ok(parsed)
    }
}

impl Input {
    /// Was this key written (even with a value that could not be used), or
    /// meant by an unknown key already reported?
    pub(crate) fn wrote(&self, key: &str) -> bool {
        self.written.iter().any(|k| k == key) || self.meant.contains(&key)
    }

    pub(crate) fn fail(&mut self, element: usize, e: syn::Error) {
        self.errors.push(((self.entry, element), e));
    }

    /// Every `key: value` of the block. A malformed one is reported and skipped
    /// up to the next `,`, so the entries after it are still checked.
    fn entries(&mut self, input: ParseStream) -> syn::Result<()> {
        while !input.is_empty() {
            if let Err(e) = self.key_value(input) {
                self.fail(usize::MAX, e);
                while !input.is_empty() && !input.peek(Token![,]) {
                    input.parse::<TokenTree>()?;
                }
                if !input.is_empty() {
                    input.parse::<Token![,]>()?;
                }
            }
            self.entry += 1;
        }
        Ok(())
    }

    fn key_value(&mut self, input: ParseStream) -> syn::Result<()> {
        let key = if input.peek(syn::LitStr) {
            // A JSON habit: `"allow_origins": [...]`. One error, then read on as if unquoted.
            let quoted: syn::LitStr = input.parse()?;
            let name = quoted.value();
            let known = KEYS.iter().find(|k| **k == name);
            let (hint, key) = match known.copied().or_else(|| hint::meant_key(&name)) {
                Some(k) if known.is_some() => (format!("write `{k}` without quotes"), Some(k)),
                Some(k) => {
                    self.meant.push(k);
                    (format!("write `{k}`, without quotes"), None)
                }
                None => (
                    format!(
                        "write one of {}, without quotes",
                        KEYS.map(|k| format!("`{k}`")).join(", ")
                    ),
                    None,
                ),
            };
            self.fail(0, error(quoted.span(), "keys are not strings", &hint));
            key.map(|k| Ident::new(k, quoted.span()))
        } else {
            let key = Ident::parse_any(input).map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected a key such as `allow_origins`, followed by `:` and its value",
                )
            })?;
            Some(key.unraw())
        };
        let name = key.as_ref().map(Ident::to_string).unwrap_or_default();
        // A known key whose `:` or value is missing is reported so, not also as missing.
        let known = KEYS.iter().find(|k| **k == name).copied();
        let colon: Token![:] = match input.parse() {
            Ok(colon) => colon,
            Err(e) => {
                self.meant.extend(known);
                return Err(syn::Error::new(
                    e.span(),
                    format!("expected `:` after `{name}`\n= help: {}", example(&name)),
                ));
            }
        };
        let mut tokens = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            if !tokens.is_empty() && next_is_key(input) {
                // `allow_origins: [..] allow_methods: [..]`: the value ends where the next key starts.
                let next: Ident = input.fork().call(Ident::parse_any)?;
                self.errors.push((
                    (self.entry, usize::MAX),
                    error(
                        next.span(),
                        &format!("expected `,` before `{next}`"),
                        &format!("end the value of `{name}` with a `,`"),
                    ),
                ));
                break;
            }
            tokens.extend([input.parse::<TokenTree>()?]);
        }
        if tokens.is_empty() {
            self.meant.extend(known);
            return Err(error(
                colon.spans[0],
                &format!("expected a value after `{name}:`"),
                &example(&name),
            ));
        }
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
        if let Some(key) = key {
            self.entry(key, tokens);
        }
        Ok(())
    }

    fn entry(&mut self, key: Ident, tokens: TokenStream) {
        let name = key.to_string();
        let Some(kind) = kind_of(&name) else {
            let meant = hint::meant_key(&name);
            self.meant.extend(meant);
            self.fail(0, unknown_key(&key, meant));
            return;
        };
        if self.written.iter().any(|k| *k == name) {
            self.fail(
                0,
                error(key.span(), &format!("`{name}` is written twice"), "keep one of them"),
            );
            return;
        }
        self.written.push(key);
        let before = self.errors.len();
        let value = Value::parse(&tokens);
        macro_rules! store {
            ($field:ident, $value:expr) => {{
                let value = $value;
                if let Some(value) = value {
                    let partial = self.errors.len() > before;
                    self.$field = Some(Keyed {
                        entry: self.entry,
                        tokens,
                        value,
                        partial,
                    });
                }
            }};
        }
        match name.as_str() {
            "allow_origins" => store!(allow_origins, self.list(&name, kind, value, &tokens)),
            "allow_methods" => store!(allow_methods, self.list(&name, kind, value, &tokens)),
            "allow_headers" => store!(allow_headers, self.list(&name, kind, value, &tokens)),
            "expose_headers" => store!(expose_headers, self.list(&name, kind, value, &tokens)),
            "allow_credentials" => store!(allow_credentials, self.flag(&name, value, &tokens)),
            "allow_private_network" => store!(allow_private_network, self.flag(&name, value, &tokens)),
            "dangerously_allow_insecure_origins" => {
                store!(dangerously_allow_insecure_origins, self.flag(&name, value, &tokens))
            }
            "dangerously_allow_public_suffix_wildcards" => {
                store!(
                    dangerously_allow_public_suffix_wildcards,
                    self.flag(&name, value, &tokens)
                )
            }
            "max_age" => store!(max_age, self.int(&name, value, &tokens)),
            _ => store!(preflight_status, self.int(&name, value, &tokens)),
        }
    }
}

fn unknown_key(key: &Ident, meant: Option<&str>) -> syn::Error {
    let hint = match meant {
        Some(k) => format!("did you mean `{k}`?"),
        None => format!("the keys are {}", KEYS.map(|k| format!("`{k}`")).join(", ")),
    };
    error(key.span(), &format!("unknown key `{key}`"), &hint)
}

/// Is the input at `ident :` (not `ident ::`), the start of another entry?
fn next_is_key(input: ParseStream) -> bool {
    let Some((_, rest)) = input.cursor().ident() else {
        return false;
    };
    matches!(rest.punct(), Some((p, _)) if p.as_char() == ':' && p.spacing() == Spacing::Alone)
}
