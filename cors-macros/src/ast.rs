//! The `cors! { ... }` block as written: every key and value, with its span.
//! Syntax, key and value-kind errors are found here; the policy rules live in corsair-core.

use corsair_core::Field;
use proc_macro2::{Delimiter, Spacing, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Lit, Token};

use crate::hint;

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

    fn fail(&mut self, element: usize, e: syn::Error) {
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
                let (message, hint) = match &other {
                    Value::Str(s) => {
                        let text = s.value();
                        let inner = match hint::joined(&text, kind == Kind::Origins) {
                            Some(parts) => quoted_list(&parts),
                            None => quote::quote!(#s).to_string(),
                        };
                        (None, format!("put it in a list: `{key}: [{inner}]`"))
                    }
                    Value::Ident(i) if kind == Kind::Methods && is_method_like(i) => {
                        (None, format!("put it in a list: `{key}: [{}]`", i.unraw()))
                    }
                    Value::Ident(i) => (Some(hint::not_literal(key, Some(&i.to_string()))), run_time(key)),
                    Value::Other(t) => match (hint::wrapped_list(t), hint::path(t)) {
                        (Some((wrapper, _)), _) => (
                            Some(format!("`{key}` takes a list written `[...]`, not `{wrapper}[...]`")),
                            format!("remove the `{wrapper}`: {}", example(key)),
                        ),
                        (None, Some(path)) => (Some(hint::not_literal(key, Some(&path))), run_time(key)),
                        (None, None) => (Some(hint::not_literal(key, None)), run_time(key)),
                    },
                    _ => (None, example(key)),
                };
                let message = message
                    .unwrap_or_else(|| format!("`{key}` takes a list of {what} or `*`, not {}", other.describe()));
                self.fail(0, error_spanned(tokens, &message, &hint));
                return None;
            }
        };
        let sole = elements.len() == 1;
        let mut items = Vec::new();
        for (n, (element, element_tokens)) in elements.into_iter().enumerate() {
            let element_path = match &element {
                Value::Ident(i) => Some(i.unraw().to_string()),
                Value::Other(t) => hint::path(t),
                _ => None,
            };
            match element {
                Value::Str(s) => match hint::joined(&s.value(), kind == Kind::Origins) {
                    Some(parts) => {
                        let split = quoted_list(&parts);
                        let (one, each) = match kind {
                            Kind::Origins => ("origin", "origins"),
                            Kind::Methods => ("method", "methods"),
                            _ => ("header name", "header names"),
                        };
                        let fix = if sole {
                            format!("write each {one} as its own string: `{key}: [{split}]`")
                        } else {
                            format!("write each {one} as its own string: `{split}`")
                        };
                        self.fail(
                            n,
                            error(
                                s.span(),
                                &format!(
                                    "this one string holds {} {each}; `{key}` lists each as its own string",
                                    parts.len()
                                ),
                                &fix,
                            ),
                        );
                    }
                    None => items.push(Item {
                        text: s.value(),
                        span: s.span(),
                        element: n,
                    }),
                },
                Value::Ident(i) if kind == Kind::Methods => items.push(Item {
                    text: i.unraw().to_string(),
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
                Value::Empty(span) => self.fail(
                    n,
                    error(span, "expected a list element before this `,`", "remove the extra `,`"),
                ),
                Value::Other(t) if strings(&t).len() > 1 => {
                    // `["https://a.example" "https://b.example"]`: a `,` left out.
                    let strings = strings(&t);
                    let split = strings
                        .iter()
                        .map(|s| quote::quote!(#s).to_string())
                        .collect::<Vec<_>>();
                    self.fail(
                        n,
                        error(
                            strings[1].span(),
                            "expected `,` before this string",
                            &format!("separate the list elements with commas: `{}`", split.join(", ")),
                        ),
                    );
                }
                _ if element_path.is_some() && kind == Kind::Origins => {
                    let name = element_path.unwrap_or_default();
                    let message = format!(
                        "`{key}` lists origins as string literals: `cors!` checks each when your program compiles, so it cannot see what `{name}` holds"
                    );
                    let hint = format!(
                        "write the origin itself, e.g. `\"https://app.example.com\"`; {}",
                        hint::AT_RUN_TIME
                    );
                    self.fail(n, error_spanned(&element_tokens, &message, &hint));
                }
                _ if element_path.is_some() && kind != Kind::Methods => {
                    let path = element_path.unwrap_or_default();
                    let last = path.rsplit("::").next().unwrap_or_default();
                    let field = if kind == Kind::ExposeHeaders {
                        Field::ExposeHeaders
                    } else {
                        Field::AllowHeaders
                    };
                    let (name, refused) = hint::header_for(last, field);
                    let mut message = format!("`{key}` lists header names as strings, not identifiers");
                    if path.contains("::") || last.chars().any(|c| c.is_ascii_uppercase()) {
                        message.push_str(&format!(
                            "; `cors!` checks them when your program compiles, so it cannot read a constant such as `{path}`"
                        ));
                    }
                    let hint = match refused {
                        Some((problem, fix)) => {
                            message.push_str(&format!(", and `\"{name}\"` would be refused too: {problem}"));
                            fix
                        }
                        None => format!("write `\"{name}\"`"),
                    };
                    self.fail(n, error_spanned(&element_tokens, &message, &hint));
                }
                other => {
                    let (message, hint) = if kind == Kind::Methods {
                        let hint = match element_path.as_deref().and_then(|p| p.rsplit("::").next()) {
                            Some(last) => format!("write `{last}`"),
                            None => "write the method name".to_owned(),
                        };
                        let not = match &element_path {
                            Some(path) => format!("a path such as `{path}`"),
                            None => other.describe().to_owned(),
                        };
                        (
                            format!("`{key}` lists methods such as `GET` or `\"GET\"`, not {not}"),
                            hint,
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
        let (message, hint) = match &value {
            Value::Str(s) if s.value() == "true" || s.value() == "false" => {
                (None, format!("write `{}` without quotes", s.value()))
            }
            Value::Ident(i) => (Some(hint::not_literal(key, Some(&i.to_string()))), example(key)),
            Value::Other(t) => (Some(hint::not_literal(key, hint::path(t).as_deref())), example(key)),
            _ => (None, example(key)),
        };
        let message = message.unwrap_or_else(|| format!("`{key}` takes `true` or `false`, not {}", value.describe()));
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
            let (message, hint) = match &value {
                Value::Other(t) if key == "max_age" && hint::duration(t).is_some() => (
                    "`max_age` takes whole seconds as an integer literal, not a `Duration`".to_owned(),
                    match hint::duration(t).flatten() {
                        Some(seconds) => format!("write `max_age: {seconds}`"),
                        None => example(key),
                    },
                ),
                Value::Ident(i) => (hint::not_literal(key, Some(&i.to_string())), example(key)),
                Value::Other(t) if hint::path(t).is_some() => {
                    (hint::not_literal(key, hint::path(t).as_deref()), example(key))
                }
                _ => (format!("`{key}` takes {what}, not {}", value.describe()), example(key)),
            };
            self.fail(0, error_spanned(tokens, &message, &hint));
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

/// The string literals the tokens are made of, when they are nothing else.
fn strings(tokens: &TokenStream) -> Vec<syn::LitStr> {
    let strings: Vec<syn::LitStr> = tokens
        .clone()
        .into_iter()
        .map_while(|t| syn::parse2::<syn::LitStr>(t.into()).ok())
        .collect();
    if strings.len() == tokens.clone().into_iter().count() {
        strings
    } else {
        Vec::new()
    }
}

/// `"a", "b"`, for hints that show a list.
fn quoted_list(parts: &[&str]) -> String {
    parts.iter().map(|p| format!("{p:?}")).collect::<Vec<_>>().join(", ")
}

/// An example, and where to go for values known only at run time.
fn run_time(key: &str) -> String {
    format!("{}; {}", example(key), hint::AT_RUN_TIME)
}

/// `GET`, `PATCH`, `PROPFIND`: what a method written bare looks like (unlike
/// a constant such as `ALLOWED_METHODS` or `METHODS`).
fn is_method_like(i: &Ident) -> bool {
    let name = i.unraw().to_string();
    name.bytes().all(|b| b.is_ascii_uppercase()) && !name.ends_with("METHODS")
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
