//! The `cors!` procedural macro. Use it through the `corsair` crate, whose
//! `cors!` forwards its own path here so expansions never assume its name.
//!
//! Stages, one file each: `ast` parses the block keeping every span (`value`
//! checks each value against what its key takes, `hint` finds the fix for a
//! newcomer's mistake), `valid` checks it with corsair-core's builder, `expand`
//! emits static data.
#![deny(unsafe_code, unreachable_pub)]

mod ast;
mod expand;
mod hint;
mod valid;
mod value;

use proc_macro::TokenStream;

/// `cors_impl!($crate; key: value, ...)`: the body of the facade's `cors!`.
#[doc(hidden)]
#[proc_macro]
pub fn cors_impl(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as ast::Input);
    expand::policy(&input.krate, valid::check(&input)).into()
}
