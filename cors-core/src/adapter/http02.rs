//! The header writer over actix-web 4's header map (`http` 0.2 names and values).

header_writer!(pub(crate) actix_web::http);
