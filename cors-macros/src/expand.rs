//! The expansion: a validated policy's parts as static data, passed to the
//! hidden `const fn` constructor. Absolute `$crate::__private` paths only; the
//! output depends on nothing but the input (the origin table's hash is fixed).
//!
//! Every header value is built at compile time: the exact origins' values as a
//! `static` array (so echoing one is a copy of a prebuilt value, never a check of
//! its bytes per request), and, through corsair-core's `__private::policy!`, the
//! actix-web adapter's `http` 0.2 copies when corsair-core is built with that
//! adapter. This macro cannot know the features of the crate it expands into;
//! corsair-core defines `policy!` for the features it was built with.

use corsair_core::__private::{
    http::HeaderValue, AllowHeaders, AllowMethods, Methods, OriginTable, Origins, Parts, Pattern, PortPattern,
    PreflightStatus, RequestHeaders, Schemes, Values,
};
use corsair_core::Policy;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The `Policy` expression: the policy's parts, or on error a placeholder policy
/// after the errors, so that the user sees our messages and no type errors.
pub(crate) fn policy(krate: &TokenStream, checked: Result<Policy, syn::Error>) -> TokenStream {
    match checked {
        Ok(policy) => parts(krate, &policy),
        Err(errors) => {
            let errors = errors.to_compile_error();
            let placeholder = match Policy::builder().allow_origins(["*"]).build() {
                Ok(p) => parts(krate, &p),
                Err(_) => quote!(::core::unreachable!()),
            };
            quote!({ #errors #placeholder })
        }
    }
}

fn parts(krate: &TokenStream, policy: &Policy) -> TokenStream {
    let p = quote!(#krate::__private);
    // Exhaustive, so a field added to `Parts` fails here until the expansion emits it.
    let Parts {
        origins,
        methods,
        headers,
        credentials,
        private_network,
        preflight_status,
        values,
    } = corsair_core::__private::parts(policy);
    let origin_texts: Vec<&str> = match origins {
        Origins::Any => Vec::new(),
        Origins::List { exact, .. } => exact.origins.iter().map(|o| &**o).collect(),
    };
    let origins = match origins {
        Origins::Any => quote!(#p::Origins::Any),
        Origins::List {
            exact,
            patterns,
            schemes: Schemes { https, http },
            max_len,
        } => {
            let exact = table(&p, exact);
            let patterns = patterns.iter().map(|pattern| self::pattern(&p, pattern));
            quote! {
                #p::Origins::List {
                    exact: #exact,
                    patterns: #p::Cow::Borrowed(&[#(#patterns),*]),
                    schemes: #p::Schemes { https: #https, http: #http },
                    max_len: #max_len,
                }
            }
        }
    };
    let methods = match methods {
        Methods::Any => quote!(#p::Methods::Any),
        Methods::List(list) => {
            let list = list.iter().map(|m| text(&p, m));
            quote!(#p::Methods::List(#p::Cow::Borrowed(&[#(#list),*])))
        }
    };
    let RequestHeaders {
        any,
        names,
        max_len,
        slots,
        max_list,
    } = headers;
    let names = names.iter().map(|n| text(&p, n));
    let slots = slots.iter().map(|&s| Literal::u32_unsuffixed(s));
    let headers = quote! {
        #p::RequestHeaders {
            any: #any,
            names: #p::Cow::Borrowed(&[#(#names),*]),
            max_len: #max_len,
            slots: #p::Cow::Borrowed(&[#(#slots),*]),
            max_list: #max_list,
        }
    };
    let Values {
        allow_methods,
        allow_headers,
        expose_headers,
        max_age,
    } = values;
    let allow_methods = match allow_methods {
        AllowMethods::Prebuilt(v) => {
            let v = header_value(&p, v);
            quote!(#p::AllowMethods::Prebuilt(#v))
        }
        AllowMethods::Echo => quote!(#p::AllowMethods::Echo),
    };
    let allow_headers = match allow_headers {
        AllowHeaders::Prebuilt(v) => {
            let v = header_value(&p, v);
            quote!(#p::AllowHeaders::Prebuilt(#v))
        }
        AllowHeaders::Echo => quote!(#p::AllowHeaders::Echo),
        AllowHeaders::Never => quote!(#p::AllowHeaders::Never),
    };
    let expose_headers = optional(&p, expose_headers.as_ref());
    let max_age = optional(&p, max_age.as_ref());
    let preflight_status = match preflight_status {
        PreflightStatus::Ok => quote!(#p::PreflightStatus::Ok),
        PreflightStatus::NoContent => quote!(#p::PreflightStatus::NoContent),
    };
    let actix = actix_values(&origin_texts, values);
    quote! {
        #p::policy!(#p::Parts {
            origins: #origins,
            methods: #methods,
            headers: #headers,
            credentials: #credentials,
            private_network: #private_network,
            preflight_status: #preflight_status,
            values: #p::Values {
                allow_methods: #allow_methods,
                allow_headers: #allow_headers,
                expose_headers: #expose_headers,
                max_age: #max_age,
            },
        }; #actix)
    }
}

/// The texts `policy!` makes `http` 0.2 values of when the actix adapter is built:
/// the exact origins (their count first, for the array's type) and each
/// prebuilt value, `None` when the policy echoes or omits it.
fn actix_values(origins: &[&str], values: &Values) -> TokenStream {
    let n = Literal::usize_unsuffixed(origins.len());
    let text = |v: Option<&HeaderValue>| match v {
        Some(v) => {
            let s = v.to_str().unwrap_or_default();
            quote!(::core::option::Option::Some(#s))
        }
        None => quote!(::core::option::Option::None),
    };
    let allow_methods = text(match &values.allow_methods {
        AllowMethods::Prebuilt(v) => Some(v),
        AllowMethods::Echo => None,
    });
    let allow_headers = text(match &values.allow_headers {
        AllowHeaders::Prebuilt(v) => Some(v),
        AllowHeaders::Echo | AllowHeaders::Never => None,
    });
    let expose_headers = text(values.expose_headers.as_ref());
    let max_age = text(values.max_age.as_ref());
    quote! {
        origins: #n [#(#origins),*],
        allow_methods: #allow_methods,
        allow_headers: #allow_headers,
        expose_headers: #expose_headers,
        max_age: #max_age
    }
}

/// The exact origins' hash table, slot for slot as the builder laid it out.
fn table(p: &TokenStream, table: &OriginTable) -> TokenStream {
    let slots = table.slots.iter().map(|&s| Literal::u32_unsuffixed(s));
    let origins = table.origins.iter().map(|o| text(p, o));
    // Validated origins are visible ASCII, which `from_static` accepts. A value
    // holds a `Bytes` (interior mutability), so the array is a `static`, not a
    // promoted constant; a `const` policy may refer to it. `from_static` checks
    // each byte while the compiler evaluates it: 10,000 origins take a few
    // million steps, past the lint that flags long evaluations.
    let n = Literal::usize_unsuffixed(table.origins.len());
    let values = table.origins.iter().map(|o| {
        let o: &str = o;
        quote!(#p::http::HeaderValue::from_static(#o))
    });
    quote! {
        #p::OriginTable {
            slots: #p::Cow::Borrowed(&[#(#slots),*]),
            origins: #p::Cow::Borrowed(&[#(#origins),*]),
            values: #p::Cow::Borrowed({
                #[allow(long_running_const_eval)]
                static VALUES: [#p::http::HeaderValue; #n] = [#(#values),*];
                &VALUES
            }),
        }
    }
}

fn pattern(p: &TokenStream, pattern: &Pattern) -> TokenStream {
    let Pattern {
        scheme,
        host,
        subdomains,
        port,
    } = pattern;
    let (scheme, host) = (text(p, scheme), text(p, host));
    let port = match port {
        PortPattern::Default => quote!(#p::PortPattern::Default),
        PortPattern::Exact(digits) => {
            let digits = text(p, digits);
            quote!(#p::PortPattern::Exact(#digits))
        }
        PortPattern::Any => quote!(#p::PortPattern::Any),
    };
    quote! {
        #p::Pattern {
            scheme: #scheme,
            host: #host,
            subdomains: #subdomains,
            port: #port,
        }
    }
}

fn text(p: &TokenStream, s: &str) -> TokenStream {
    quote!(#p::Cow::Borrowed(#s))
}

/// Prebuilt values are visible ASCII (the builder made them from tokens), so
/// `from_static` accepts them; it is `const`, and stores the value inline.
fn header_value(p: &TokenStream, v: &HeaderValue) -> TokenStream {
    let s = v.to_str().unwrap_or_default();
    quote!(#p::http::HeaderValue::from_static(#s))
}

fn optional(p: &TokenStream, v: Option<&HeaderValue>) -> TokenStream {
    match v {
        Some(v) => {
            let v = header_value(p, v);
            quote!(::core::option::Option::Some(#v))
        }
        None => quote!(::core::option::Option::None),
    }
}
