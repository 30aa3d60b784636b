//! Measuring helpers shared by the benchmark targets: one request per iteration,
//! built outside the timed part, its response dropped outside it too.
#![allow(dead_code)]

use std::convert::Infallible;

use actix_web::dev::{Service, ServiceResponse};
use corsair_bench::{actix_stack, tower_stack};
use criterion::{BatchSize, Bencher};
use http::{Request, Response};

/// The requests of the main comparison: every case with the minimal header set,
/// and the allowed ones again with a browser's (`-browser` in the benchmark id).
pub fn cases() -> Vec<(corsair_bench::Case, corsair_bench::HeaderSet, String)> {
    use corsair_bench::{instructions::criterion_id, Case, HeaderSet};
    let minimal = Case::ALL.map(|c| (c, HeaderSet::Minimal));
    let browser = [Case::PreflightAllowed, Case::ActualAllowed].map(|c| (c, HeaderSet::Browser));
    minimal
        .into_iter()
        .chain(browser)
        .map(|(c, s)| (c, s, criterion_id(c, s)))
        .collect()
}

/// Requests are built in batches this small, so they are still in cache when sent.
pub const BATCH: BatchSize = BatchSize::NumIterations(128);

/// Large requests (1,024 header lines, about 40 KiB each) are built a few at a time,
/// so they too are in cache when sent, as a request just parsed by a server is.
pub const LARGE_BATCH: BatchSize = BatchSize::NumIterations(8);

/// Times `svc` on fresh copies of `template`.
pub fn tower<S>(b: &mut Bencher<'_>, svc: &mut S, template: &tower_stack::Template)
where
    S: tower::Service<Request<()>, Response = Response<tower_stack::Body>, Error = Infallible>,
{
    tower_batched(b, svc, template, BATCH);
}

/// Times `svc` on fresh copies of `template`, built `batch` at a time.
pub fn tower_batched<S>(b: &mut Bencher<'_>, svc: &mut S, template: &tower_stack::Template, batch: BatchSize)
where
    S: tower::Service<Request<()>, Response = Response<tower_stack::Body>, Error = Infallible>,
{
    b.iter_batched(|| template.request(), |req| tower_stack::call(svc, req), batch);
}

/// Times `svc` on copies of `templates`, taken in turn.
pub fn tower_cycling<S>(b: &mut Bencher<'_>, svc: &mut S, templates: &[tower_stack::Template])
where
    S: tower::Service<Request<()>, Response = Response<tower_stack::Body>, Error = Infallible>,
{
    let mut i = 0;
    b.iter_batched(
        || {
            i = (i + 1) % templates.len();
            templates[i].request()
        },
        |req| tower_stack::call(svc, req),
        BATCH,
    );
}

/// Times `svc` on fresh copies of `template`.
pub fn actix<S, B>(b: &mut Bencher<'_>, svc: &S, template: &actix_stack::Template)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    actix_batched(b, svc, template, BATCH);
}

/// Times `svc` on fresh copies of `template`, built `batch` at a time.
pub fn actix_batched<S, B>(b: &mut Bencher<'_>, svc: &S, template: &actix_stack::Template, batch: BatchSize)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    b.iter_batched(|| template.request(), |req| actix_stack::call(svc, req), batch);
}

/// Times `svc` on copies of `templates`, taken in turn.
pub fn actix_cycling<S, B>(b: &mut Bencher<'_>, svc: &S, templates: &[actix_stack::Template])
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    let mut i = 0;
    b.iter_batched(
        || {
            i = (i + 1) % templates.len();
            templates[i].request()
        },
        |req| actix_stack::call(svc, req),
        BATCH,
    );
}

/// Stops the run if a stack does not answer as the case expects: a benchmark of
/// the wrong path (an error page, a missing header) would be worthless.
pub fn expect_allows(what: &str, allows: bool, expected: bool) {
    assert_eq!(
        allows, expected,
        "{what}: Access-Control-Allow-Origin present = {allows}, expected {expected}"
    );
}
