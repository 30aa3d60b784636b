//! Validation by corsair-core's own [`Builder`], the one the run-time API uses:
//! each [`Problem`] it reports becomes a compile error on the token it is about.

use corsair_core::{Builder, Field, Policy, Problem};
use proc_macro2::Span;

use crate::ast::{self, Input, Keyed, List, Position};

/// Runs the policy through corsair-core's builder. `Err` holds every error of the
/// block, the DSL's own first, then the builder's, each spanned.
pub(crate) fn check(input: &Input) -> Result<Policy, syn::Error> {
    let mut builder = Policy::builder();
    if let Some(k) = &input.allow_origins {
        builder = builder.allow_origins(texts(k));
    }
    if let Some(k) = &input.allow_methods {
        builder = builder.allow_methods(texts(k));
    }
    if let Some(k) = &input.allow_headers {
        builder = builder.allow_headers(texts(k));
    }
    if let Some(k) = &input.expose_headers {
        builder = builder.expose_headers(texts(k));
    }
    builder = flag(builder, &input.allow_credentials, Builder::allow_credentials);
    builder = flag(builder, &input.allow_private_network, Builder::allow_private_network);
    builder = flag(
        builder,
        &input.dangerously_allow_insecure_origins,
        Builder::dangerously_allow_insecure_origins,
    );
    builder = flag(
        builder,
        &input.dangerously_allow_public_suffix_wildcards,
        Builder::dangerously_allow_public_suffix_wildcards,
    );
    if let Some(k) = &input.max_age {
        builder = builder.max_age(k.value);
    }
    if let Some(k) = &input.preflight_status {
        builder = builder.preflight_status(k.value);
    }

    let mut errors = input.errors.clone();
    match builder.build() {
        Ok(policy) if errors.is_empty() => return Ok(policy),
        Ok(_) => {}
        Err(e) => errors.extend(e.problems().iter().filter_map(|p| locate(input, p))),
    }
    // In the order written; a stable sort keeps the DSL's own errors first at one position.
    errors.sort_by_key(|(at, _)| *at);
    let mut errors = errors.into_iter().map(|(_, e)| e);
    let mut all = errors
        .next()
        .unwrap_or_else(|| syn::Error::new(Span::call_site(), "invalid CORS policy"));
    all.extend(errors);
    Err(all)
}

fn texts(k: &Keyed<List>) -> impl Iterator<Item = &str> {
    k.value.items.iter().map(|i| i.text.as_str())
}

fn flag(builder: Builder, k: &Option<Keyed<bool>>, set: fn(Builder, bool) -> Builder) -> Builder {
    match k {
        Some(k) => set(builder, k.value),
        None => builder,
    }
}

/// Puts a problem on its token: a list element, or the key's value, or (for a key
/// not written at all) the macro call. `None` when the problem is about a value
/// the DSL already refused, so the user sees that error alone.
fn locate(input: &Input, p: &Problem) -> Option<(Position, syn::Error)> {
    let key = p.field.key();
    let (list, value) = match p.field {
        Field::AllowOrigins => (input.allow_origins.as_ref(), None),
        Field::AllowMethods => (input.allow_methods.as_ref(), None),
        Field::AllowHeaders => (input.allow_headers.as_ref(), None),
        Field::ExposeHeaders => (input.expose_headers.as_ref(), None),
        Field::AllowCredentials => (None, input.allow_credentials.as_ref().map(|k| (k.entry, &k.tokens))),
        Field::AllowPrivateNetwork => (None, input.allow_private_network.as_ref().map(|k| (k.entry, &k.tokens))),
        Field::MaxAge => (None, input.max_age.as_ref().map(|k| (k.entry, &k.tokens))),
        Field::PreflightStatus => (None, input.preflight_status.as_ref().map(|k| (k.entry, &k.tokens))),
        _ => (None, None),
    };
    let text = format!("{}\n= help: {}", p.message, p.hint);
    if let Some(list) = list {
        return match p.index.and_then(|i| list.value.items.get(i)) {
            Some(item) => Some(((list.entry, item.element), syn::Error::new(item.span, text))),
            None if list.partial => None,
            None => Some(((list.entry, 0), syn::Error::new_spanned(&list.tokens, text))),
        };
    }
    if let Some((entry, tokens)) = value {
        return Some(((entry, 0), syn::Error::new_spanned(tokens, text)));
    }
    if input.wrote(key) {
        // Its value was of the wrong kind, and that error is already reported.
        return None;
    }
    // A key not written at all: on the block's first token, which the user wrote
    // (the call site would show our internal macro path in rustc's note).
    let span = input.first.unwrap_or_else(Span::call_site);
    let (message, hint) = match p.field {
        Field::AllowOrigins => (
            "this policy has no `allow_origins`, so every cross-origin request would be blocked".to_owned(),
            "add the origins of your front ends, e.g. `allow_origins: [\"https://app.example.com\"],`".to_owned(),
        ),
        _ => (format!("`{key}` is missing; {}", p.message), p.hint.clone()),
    };
    Some(((usize::MAX, 0), ast::error(span, &message, &hint)))
}
