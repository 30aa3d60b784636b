//! Diagnostics (feature `tracing`): a request denied through either adapter emits
//! exactly one debug event, with the origin and the reason in words; an allowed
//! one emits none. A small recording `Subscriber` stands in for tracing-subscriber.
#![cfg(all(feature = "tower", feature = "actix", feature = "tracing"))]

use std::convert::Infallible;
use std::fmt;
use std::sync::{Arc, Mutex};

use corsair::Policy;
use tracing::field::{Field, Visit};
use tracing::{span, Event, Level, Metadata, Subscriber};

#[derive(Debug)]
struct Recorded {
    level: Level,
    target: String,
    fields: Vec<(String, String)>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Records every event; spans are accepted and ignored.
#[derive(Clone, Default)]
struct Recorder {
    events: Arc<Mutex<Vec<Recorded>>>,
}

struct Fields(Vec<(String, String)>);

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        self.events.lock().expect("recorder lock").push(Recorded {
            level: *event.metadata().level(),
            target: event.metadata().target().to_owned(),
            fields: fields.0,
        });
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}

impl Recorder {
    /// Runs `f` with this recorder as the thread's subscriber; returns the events of target `cors`.
    fn cors_events(f: impl FnOnce()) -> Vec<Recorded> {
        let recorder = Recorder::default();
        tracing::subscriber::with_default(recorder.clone(), f);
        let mut events = recorder.events.lock().expect("recorder lock");
        events.drain(..).filter(|e| e.target.starts_with("cors")).collect()
    }
}

fn policy() -> Policy {
    Policy::builder()
        .allow_origins(["https://app.example.com"])
        .allow_methods(["GET", "POST"])
        .build()
        .expect("valid policy")
}

const METHOD_REASON: &str = "method `PATCH` is not in allow_methods [GET, POST]";
const ORIGIN_REASON: &str = "origin `https://evil.com` is not in allow_origins";

/// One request through the tower adapter, on a current-thread runtime (so the
/// thread's subscriber sees it).
fn through_tower(method: &str, origin: &str, acrm: Option<&str>) -> u16 {
    use tower::{service_fn, Layer, ServiceExt};

    let service = corsair::tower::CorsLayer::new(policy()).layer(service_fn(|_req: http::Request<String>| async {
        Ok::<_, Infallible>(http::Response::new(String::new()))
    }));
    let mut req = http::Request::builder()
        .method(method)
        .uri("/items")
        .header("origin", origin);
    if let Some(m) = acrm {
        req = req.header("access-control-request-method", m);
    }
    let req = req.body(String::new()).expect("request");
    let rt = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
    let res = rt.block_on(service.oneshot(req)).expect("infallible");
    res.status().as_u16()
}

/// One request through the actix-web adapter, in-process.
fn through_actix(method: &str, origin: &str, acrm: Option<&str>) -> u16 {
    use actix_web::{test, web, App};

    let method = actix_web::http::Method::from_bytes(method.as_bytes()).expect("method");
    let (origin, acrm) = (origin.to_owned(), acrm.map(str::to_owned));
    actix_web::rt::System::new().block_on(async move {
        let app = test::init_service(
            App::new()
                .service(web::resource("/items").get(|| async { "items" }))
                .wrap(corsair::actix::Cors::new(policy())),
        )
        .await;
        let mut req = test::TestRequest::default()
            .method(method)
            .uri("/items")
            .insert_header(("origin", origin));
        if let Some(m) = acrm {
            req = req.insert_header(("access-control-request-method", m));
        }
        test::call_service(&app, req.to_request()).await.status().as_u16()
    })
}

type Adapter = fn(&str, &str, Option<&str>) -> u16;
const ADAPTERS: [(&str, Adapter); 2] = [("tower", through_tower), ("actix", through_actix)];

#[test]
fn a_denied_preflight_emits_one_debug_event_with_origin_and_reason() {
    for (name, through) in ADAPTERS {
        let mut status = 0;
        let events = Recorder::cors_events(|| status = through("OPTIONS", "https://app.example.com", Some("PATCH")));
        assert_eq!(status, 403, "{name}");
        assert_eq!(events.len(), 1, "{name}: {events:?}");
        let e = &events[0];
        assert_eq!(e.level, Level::DEBUG, "{name}");
        assert_eq!(e.field("origin"), Some("https://app.example.com"), "{name}: {e:?}");
        assert_eq!(e.field("reason"), Some(METHOD_REASON), "{name}: {e:?}");
    }
}

#[test]
fn a_denied_actual_request_emits_one_debug_event() {
    for (name, through) in ADAPTERS {
        let mut status = 0;
        let events = Recorder::cors_events(|| status = through("GET", "https://evil.com", None));
        assert_eq!(status, 200, "{name}: the handler still runs");
        assert_eq!(events.len(), 1, "{name}: {events:?}");
        assert_eq!(events[0].level, Level::DEBUG, "{name}");
        assert_eq!(events[0].field("origin"), Some("https://evil.com"), "{name}");
        assert_eq!(events[0].field("reason"), Some(ORIGIN_REASON), "{name}");
    }
}

#[test]
fn an_allowed_request_emits_nothing() {
    for (name, through) in ADAPTERS {
        let events = Recorder::cors_events(|| {
            assert_eq!(
                through("OPTIONS", "https://app.example.com", Some("POST")),
                204,
                "{name}"
            );
            assert_eq!(through("GET", "https://app.example.com", None), 200, "{name}");
        });
        assert!(events.is_empty(), "{name}: {events:?}");
    }
}
