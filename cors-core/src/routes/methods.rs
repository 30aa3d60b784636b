//! The constructors both adapters share (`new`, `try_route`, `route`), written once
//! for `CorsLayer` and `Cors`, each with its own documented examples.

/// `pub struct $ty { routes: Arc<Routes<PolicyRef>> }` with the given docs, its
/// `Debug`, and `impl $ty { new, try_route, route }`. `$path` is the type's path
/// below `corsair_core` (for the examples), `$noun` what the docs call it.
macro_rules! route_methods {
    ($(#[$doc:meta])* $ty:ident, $path:literal, $noun:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        #[must_use]
        pub struct $ty {
            routes: Arc<Routes<PolicyRef>>,
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty)).field("routes", &self.routes).finish()
            }
        }

        impl $ty {
            #[doc = concat!("A ", $noun, " answering every path with `policy`: a `&'static Policy`, an")]
            /// owned [`Policy`](crate::Policy) (or `Arc<Policy>`), or a
            /// [`LivePolicy`](crate::LivePolicy).
            ///
            /// Declare a `cors!` policy `static`, not `const`: `&API` of a `const` is a
            #[doc = concat!("temporary, so `", stringify!($ty), "::new(&API)` fails with E0716 (\"temporary value")]
            /// dropped while borrowed"), while `static API: Policy = cors! { .. };`
            /// works (the `cors!` docs show both). A policy from the builder or a config
            /// file is passed by value, not borrowed:
            ///
            #[doc = concat!("```compile_fail,E0597\nuse corsair_core::{", $path, ", Policy};\n\n",
                "let api = Policy::builder().allow_origins([\"https://app.example.com\"]).build()?;\n",
                "let cors = ", stringify!($ty), "::new(&api); // error[E0597]: `api` does not live long enough\n",
                "# Ok::<(), corsair_core::Error>(())\n```")]
            ///
            #[doc = concat!("```\nuse corsair_core::{", $path, ", Policy};\n\n",
                "let api = Policy::builder().allow_origins([\"https://app.example.com\"]).build()?;\n",
                "let cors = ", stringify!($ty), "::new(api);\n",
                "# Ok::<(), corsair_core::Error>(())\n```")]
            pub fn new(policy: impl Into<PolicyRef>) -> Self {
                $ty {
                    routes: Arc::new(Routes::new(policy.into())),
                }
            }

            /// Answers paths under `prefix` with `policy`, or returns every problem with
            /// the prefix.
            ///
            /// A prefix is a literal path: a leading `/`, whole segments (`/public` covers
            /// `/public` and `/public/x`, not `/publicity`), no route-pattern syntax
            /// (`*`, `{..}`, `:id`), no white space, `?`, `#` or `%`, no empty, `.` or
            /// `..` segment, at most 16 segments; a trailing `/` is ignored. The longest
            /// matching prefix wins; the same prefix again replaces its policy. Refusals
            /// carry [`Code::RoutePrefixInvalid`](crate::Code::RoutePrefixInvalid).
            ///
            #[doc = concat!("```\nuse corsair_core::{", $path, ", Code, Policy};\n\n",
                "let lax = Policy::builder().allow_origins([\"*\"]).build()?;\n",
                "let admin = Policy::builder().allow_origins([\"https://admin.example.com\"]).build()?;\n",
                "let err = ", stringify!($ty), "::new(lax).try_route(\"/admin/*\", admin).unwrap_err();\n",
                "assert_eq!(err.problems()[0].code, Code::RoutePrefixInvalid);\n",
                "assert!(err.to_string().contains(\"write the literal part, \\\"/admin\\\"\"));\n",
                "# Ok::<(), corsair_core::Error>(())\n```")]
            pub fn try_route(mut self, prefix: &str, policy: impl Into<PolicyRef>) -> Result<Self, crate::Error> {
                Arc::make_mut(&mut self.routes).try_add(prefix, policy.into())?;
                Ok(self)
            }

            #[doc = concat!("Like [`", stringify!($ty), "::try_route`], for a prefix written in the program. A bad")]
            #[doc = concat!("prefix does not panic and is never silent: the whole ", $noun, " then grants")]
            /// nothing, on every path (no `Access-Control-Allow-*` header, every
            #[doc = concat!("preflight 403), each request's debug event and the ", $noun, "'s `Debug`")]
            /// output name the prefix and the fix, and a warning event is emitted here
            /// (feature `tracing`).
            pub fn route(mut self, prefix: &str, policy: impl Into<PolicyRef>) -> Self {
                Arc::make_mut(&mut self.routes).add(prefix, policy.into());
                self
            }
        }
    };
}

pub(crate) use route_methods;
