//! The `cors! { ... }` block as written: every key and value, with its span.
//! Syntax, key and value-kind errors are found here; the policy rules live in corsair-core.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Lit, Token};

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
enum Kind {
    Origins,
    Methods,
    RequestHeaders,
    ExposeHeaders,
    Flag,
    Seconds,
    Status,
}

fn kind_of(key: &str) -> Option<Kind> {
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
fn example(key: &str) -> String {
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

fn error_spanned(tokens: &TokenStream, message: &str, hint: &str) -> syn::Error {
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
            errors: Vec::new(),
            entry: 0,
        };
        // A malformed `key: value,` stops parsing; what was found before it is still reported.
        if let Err(e) = parsed.entries(input) {
            parsed.errors.push(((parsed.entry, usize::MAX), e));
            input.parse::<TokenStream>()?;
        }
        Ok(parsed)
    }
}

impl Input {
    /// Was this key written (even with a value that could not be used)?
    pub(crate) fn wrote(&self, key: &str) -> bool {
        self.written.iter().any(|k| k == key)
    }

    fn fail(&mut self, element: usize, e: syn::Error) {
        self.errors.push(((self.entry, element), e));
    }

    fn entries(&mut self, input: ParseStream) -> syn::Result<()> {
        while !input.is_empty() {
            if input.peek(syn::LitStr) {
                let quoted: syn::LitStr = input.parse()?;
                return Err(error(
                    quoted.span(),
                    "keys are not strings",
                    &format!("write `{}` without quotes", quoted.value()),
                ));
            }
            let key: Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected a key such as `allow_origins`, followed by `:` and its value",
                )
            })?;
            let colon: Token![:] = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!("expected `:` after `{key}`\n= help: {}", example(&key.to_string())),
                )
            })?;
            let mut tokens = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![,]) {
                tokens.extend([input.parse::<TokenTree>()?]);
            }
            if tokens.is_empty() {
                return Err(error(
                    colon.spans[0],
                    &format!("expected a value after `{key}:`"),
                    &example(&key.to_string()),
                ));
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
            self.entry(key, tokens);
            self.entry += 1;
        }
        Ok(())
    }

    fn entry(&mut self, key: Ident, tokens: TokenStream) {
        let name = key.to_string();
        let Some(kind) = kind_of(&name) else {
            self.fail(0, unknown_key(&key));
            return;
        };
        if self.wrote(&name) {
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

    fn list(&mut self, key: &str, kind: Kind, value: Value, tokens: &TokenStream) -> Option<List> {
        let what = match kind {
            Kind::Origins => "origins",
            Kind::Methods => "methods",
            _ => "header names",
        };
        let elements = match value {
            Value::Star(span) => {
                return Some(List {
                    items: vec![Item {
                        text: "*".into(),
                        span,
                        element: 0,
                    }],
                })
            }
            Value::List(elements) => elements,
            other => {
                let hint = match &other {
                    Value::Str(s) => format!("put it in a list: `{key}: [{}]`", quote::quote!(#s)),
                    Value::Ident(i) if kind == Kind::Methods => format!("put it in a list: `{key}: [{i}]`"),
                    _ => example(key),
                };
                let message = format!("`{key}` takes a list of {what} or `*`, not {}", other.describe());
                self.fail(0, error_spanned(tokens, &message, &hint));
                return None;
            }
        };
        let mut items = Vec::new();
        for (n, (element, element_tokens)) in elements.into_iter().enumerate() {
            match element {
                Value::Str(s) => items.push(Item {
                    text: s.value(),
                    span: s.span(),
                    element: n,
                }),
                Value::Ident(i) if kind == Kind::Methods => items.push(Item {
                    text: i.to_string(),
                    span: i.span(),
                    element: n,
                }),
                Value::Star(span) => self.fail(
                    n,
                    error(
                        span,
                        &format!("`*` inside a list of {what}"),
                        &format!("write `{key}: *` to allow any, or the string `\"*\"` in the list"),
                    ),
                ),
                Value::Ident(i) => self.fail(
                    n,
                    error(
                        i.span(),
                        &format!("`{key}` lists strings, not identifiers"),
                        &format!("write `\"{i}\"`"),
                    ),
                ),
                Value::Empty(span) => self.fail(
                    n,
                    error(span, "expected a list element before this `,`", "remove the extra `,`"),
                ),
                other => {
                    let (message, hint) = if kind == Kind::Methods {
                        (
                            format!(
                                "`{key}` lists methods such as `GET` or `\"GET\"`, not {}",
                                other.describe()
                            ),
                            "write the method name".to_owned(),
                        )
                    } else {
                        (
                            format!("`{key}` lists {what} as strings, not {}", other.describe()),
                            example(key),
                        )
                    };
                    self.fail(n, error_spanned(&element_tokens, &message, &hint));
                }
            }
        }
        Some(List { items })
    }

    fn flag(&mut self, key: &str, value: Value, tokens: &TokenStream) -> Option<bool> {
        if let Value::Lit(Lit::Bool(b)) = value {
            return Some(b.value);
        }
        let hint = match &value {
            Value::Str(s) if s.value() == "true" || s.value() == "false" => {
                format!("write `{}` without quotes", s.value())
            }
            _ => example(key),
        };
        let message = format!("`{key}` takes `true` or `false`, not {}", value.describe());
        self.fail(0, error_spanned(tokens, &message, &hint));
        None
    }

    fn int<T: std::str::FromStr + Bounded>(&mut self, key: &str, value: Value, tokens: &TokenStream) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        let what = if key == "max_age" {
            "a whole number of seconds"
        } else {
            "an HTTP status code"
        };
        let Value::Lit(Lit::Int(int)) = value else {
            let message = format!("`{key}` takes {what}, not {}", value.describe());
            self.fail(0, error_spanned(tokens, &message, &example(key)));
            return None;
        };
        if !int.suffix().is_empty() && int.suffix() != T::NAME {
            self.fail(
                0,
                error(
                    int.span(),
                    &format!("`{key}` takes {what} (a {}), not a {}", T::NAME, int.suffix()),
                    &format!("write the number without the `{}` suffix", int.suffix()),
                ),
            );
            return None;
        }
        match int.base10_parse::<T>() {
            Ok(v) => Some(v),
            Err(_) => {
                self.fail(
                    0,
                    error(
                        int.span(),
                        &format!(
                            "`{key}` takes {what}, and `{}` does not fit in a {}",
                            int.base10_digits(),
                            T::NAME
                        ),
                        &example(key),
                    ),
                );
                None
            }
        }
    }
}

/// The integer types of values, named as in Rust.
trait Bounded {
    const NAME: &'static str;
}

impl Bounded for u32 {
    const NAME: &'static str = "u32";
}

impl Bounded for u16 {
    const NAME: &'static str = "u16";
}

fn unknown_key(key: &Ident) -> syn::Error {
    let name = key.to_string();
    let nearest = KEYS
        .iter()
        .map(|k| (edit_distance(&name, k), *k))
        .min()
        .filter(|(d, k)| *d <= 3.max(k.len() / 3));
    let hint = match nearest {
        Some((_, k)) => format!("did you mean `{k}`?"),
        None => format!("the keys are {}", KEYS.map(|k| format!("`{k}`")).join(", ")),
    };
    error(key.span(), &format!("unknown key `{name}`"), &hint)
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
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

/// A value (or list element) as written, before we know whether its key accepts it.
enum Value {
    Star(Span),
    /// Each element with its tokens.
    List(Vec<(Value, TokenStream)>),
    Str(syn::LitStr),
    Ident(Ident),
    Lit(Lit),
    /// Nothing between two commas in a list.
    Empty(Span),
    /// Anything else: an expression, a path, a negative number...
    Other(TokenStream),
}

impl Value {
    fn parse(tokens: &TokenStream) -> Value {
        let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
        match trees.as_slice() {
            // A fragment (`$origin:expr`) of a user's own `macro_rules!`, in an invisible group.
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::None => Value::parse(&g.stream()),
            [TokenTree::Punct(p)] if p.as_char() == '*' => Value::Star(p.span()),
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
                let mut elements = Vec::new();
                let mut current = TokenStream::new();
                for tree in g.stream() {
                    match tree {
                        TokenTree::Punct(p) if p.as_char() == ',' => {
                            if current.is_empty() {
                                elements.push((Value::Empty(p.span()), TokenTree::Punct(p).into()));
                            } else {
                                elements.push((Value::parse(&current), std::mem::take(&mut current)));
                            }
                        }
                        other => current.extend([other]),
                    }
                }
                if !current.is_empty() {
                    elements.push((Value::parse(&current), current));
                }
                Value::List(elements)
            }
            [TokenTree::Ident(i)] if i != "true" && i != "false" => Value::Ident(i.clone()),
            [_] => match syn::parse2::<Lit>(tokens.clone()) {
                Ok(Lit::Str(s)) => Value::Str(s),
                Ok(lit) => Value::Lit(lit),
                Err(_) => Value::Other(tokens.clone()),
            },
            _ => Value::Other(tokens.clone()),
        }
    }

    /// What this value is, for "takes X, not Y" messages.
    fn describe(&self) -> &'static str {
        match self {
            Value::Star(_) => "`*`",
            Value::List(_) => "a list",
            Value::Str(_) => "a string",
            Value::Ident(_) => "an identifier",
            Value::Lit(Lit::Bool(_)) => "a boolean",
            Value::Lit(Lit::Int(_)) => "an integer",
            Value::Lit(Lit::Float(_)) => "a float",
            Value::Lit(_) => "a literal of another type",
            Value::Empty(_) => "nothing",
            Value::Other(t) => match t.clone().into_iter().next() {
                Some(TokenTree::Punct(p)) if p.as_char() == '-' => "a negative number",
                _ => "an expression",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("allow_origin", "allow_origins"), 1);
        assert_eq!(edit_distance("alow_methods", "allow_methods"), 1);
        assert_eq!(edit_distance("max_ages", "max_age"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
