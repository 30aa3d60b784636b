//! A value as written, and its check against what its key takes: lists of
//! origins, methods or header names, flags, and integers.

use corsair_core::Field;
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::{Ident, Lit};

use crate::ast::{error, error_spanned, example, Input, Item, Kind, List};
use crate::hint;

impl Input {
    pub(crate) fn list(&mut self, key: &str, kind: Kind, value: Value, tokens: &TokenStream) -> Option<List> {
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

    pub(crate) fn flag(&mut self, key: &str, value: Value, tokens: &TokenStream) -> Option<bool> {
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

    pub(crate) fn int<T: std::str::FromStr + Bounded>(
        &mut self,
        key: &str,
        value: Value,
        tokens: &TokenStream,
    ) -> Option<T>
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
pub(crate) trait Bounded {
    const NAME: &'static str;
}

impl Bounded for u32 {
    const NAME: &'static str = "u32";
}

impl Bounded for u16 {
    const NAME: &'static str = "u16";
}

/// A value (or list element) as written, before we know whether its key accepts it.
pub(crate) enum Value {
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
    pub(crate) fn parse(tokens: &TokenStream) -> Value {
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
