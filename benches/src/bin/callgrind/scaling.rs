//! Target `scaling`: the scaling benchmark's allowed `GET`s (`benches/benches/scaling.rs`)
//! counted to the instruction, `scaling/GROUP/SERIES/N`. Group `engine` (`decide`),
//! `tower` or `actix`; series as criterion names them: `cors-macro`, `cors-builder`,
//! the peer (`tower-http`, `actix-cors`), the engine's `-hot` (the last listed origin
//! every time) and `-patterns` (the patterns after the exact origins, the request
//! matched by one); `N` the exact origins. Each measurement sends the 1,024
//! requests whose origins cycle through the allowed ones, built before they are
//! counted; the driver divides the count by [`REQUESTS`].

use std::hint::black_box;

use actix_web::test::init_service;
use corsair::actix::Cors;
use corsair::tower::CorsLayer;
use corsair::Policy;
use corsair_bench::cases::scaling_request_origins;
use corsair_bench::{actix_stack, scaling_builder, spec, tower_stack, RequestSpec};
use tower::Layer;

use super::{measure_actix, measure_decide, measure_tower, usage};

mod generated {
    include!(concat!(env!("OUT_DIR"), "/scaling_policies.rs"));
}

/// The requests of one measurement, as in the criterion benchmark.
pub const REQUESTS: usize = 1024;

/// (group, series without `-patterns`, also with patterns?) of every line. The
/// adapters' `bare` is the handler alone and `bare-builder` the handler alone in
/// a process that holds the builder policy of `N` origins, unused: the controls
/// the report subtracts, since a heap holding thousands of owned strings makes
/// every `malloc` of the handler's response search longer, with or without CORS.
const SERIES: [(&str, &str, bool); 14] = [
    ("engine", "cors-macro", true),
    ("engine", "cors-builder", true),
    ("engine", "cors-macro-hot", false),
    ("engine", "cors-builder-hot", false),
    ("tower", "cors-macro", true),
    ("tower", "cors-builder", true),
    ("tower", "tower-http", true),
    ("tower", "bare", false),
    ("tower", "bare-builder", false),
    ("actix", "cors-macro", true),
    ("actix", "cors-builder", true),
    ("actix", "actix-cors", true),
    ("actix", "bare", false),
    ("actix", "bare-builder", false),
];

/// Every measurement of the target.
pub fn names() -> Vec<[String; 4]> {
    let mut names = Vec::new();
    for (group, series, patterns) in SERIES {
        for n in spec::ORIGIN_COUNTS {
            names.push(["scaling", group, series, &n.to_string()].map(str::to_owned));
        }
        if patterns {
            for n in spec::PATTERN_ORIGIN_COUNTS {
                let series = format!("{series}-patterns");
                names.push(["scaling", group, &series, &n.to_string()].map(str::to_owned));
            }
        }
    }
    names
}

/// The `cors!` policy generated for `n` origins (with the patterns after them).
fn generated(n: usize, patterns: bool) -> &'static Policy {
    let table: &[(usize, &Policy)] = if patterns {
        &generated::WITH_PATTERNS
    } else {
        &generated::EXACT
    };
    table
        .iter()
        .find(|(k, _)| *k == n)
        .map(|(_, p)| *p)
        .unwrap_or_else(|| usage(&format!("no generated policy of {n} origins")))
}

/// One measurement: `group`, `series`, `n` as in [`names`].
pub fn one(group: &str, series: &str, n: &str) {
    let n: usize = n.parse().unwrap_or_else(|_| usage(&format!("no origin count {n}")));
    let (series, patterns) = match series.strip_suffix("-patterns") {
        Some(s) => (s, true),
        None => (series, false),
    };
    let (stack, hot) = match series.strip_suffix("-hot") {
        Some(s) => (s, true),
        None => (series, false),
    };
    if n == 0 || (hot && patterns) {
        usage(&format!("no scaling measurement {series} of {n}"));
    }
    let origins = if hot {
        let last: &'static str = Box::leak(spec::tenant(n - 1).into_boxed_str());
        vec![last; REQUESTS]
    } else {
        scaling_request_origins(n, patterns, REQUESTS)
    };
    let macro_policy = generated(n, patterns);
    let builder_policy = || scaling_builder(&spec::scaling_origins(n, patterns));
    let actual = RequestSpec::actual(spec::APP_ORIGIN);
    match group {
        "engine" => {
            let base = tower_stack::Template::new(&actual);
            let reqs: Vec<_> = origins.iter().map(|o| base.with_origin(o).request()).collect();
            let builder = builder_policy();
            let policy = match stack {
                "cors-macro" => macro_policy,
                "cors-builder" => &builder,
                _ => usage(&format!("no scaling engine stack {stack}")),
            };
            if reqs.iter().any(|r| policy.decide(r).denial().is_some()) {
                usage("a scaling request is refused");
            }
            measure_decide(policy, black_box(&reqs));
        }
        "tower" => {
            let base = tower_stack::Template::new(&actual);
            let templates: Vec<_> = origins.iter().map(|o| base.with_origin(o)).collect();
            let make = |i: usize| templates[i].request();
            let bare = tower_stack::bare;
            match stack {
                "cors-macro" => measure_tower(CorsLayer::new(macro_policy).layer(bare()), REQUESTS, make),
                "cors-builder" => measure_tower(CorsLayer::new(builder_policy()).layer(bare()), REQUESTS, make),
                "bare" => measure_tower(bare(), REQUESTS, make),
                "bare-builder" => {
                    let held = builder_policy();
                    measure_tower(bare(), REQUESTS, make);
                    drop(black_box(held));
                }
                "tower-http" => measure_tower(
                    tower_stack::tower_http_scaling(n, patterns).layer(bare()),
                    REQUESTS,
                    make,
                ),
                _ => usage(&format!("no scaling tower stack {stack}")),
            }
        }
        "actix" => {
            let base = actix_stack::Template::new(&actual);
            let templates: Vec<_> = origins.iter().map(|o| base.with_origin(o)).collect();
            let make = |i: usize| templates[i].request();
            let app = actix_stack::app;
            actix_web::rt::System::new().block_on(async {
                match stack {
                    "cors-macro" => {
                        measure_actix(init_service(app().wrap(Cors::new(macro_policy))).await, REQUESTS, make)
                    }
                    "cors-builder" => measure_actix(
                        init_service(app().wrap(Cors::new(builder_policy()))).await,
                        REQUESTS,
                        make,
                    ),
                    "bare" => measure_actix(init_service(app()).await, REQUESTS, make),
                    "bare-builder" => {
                        let held = builder_policy();
                        measure_actix(init_service(app()).await, REQUESTS, make);
                        drop(black_box(held));
                    }
                    "actix-cors" => {
                        let cors = actix_stack::actix_cors(&spec::scaling_origins(n, false), patterns);
                        measure_actix(init_service(app().wrap(cors)).await, REQUESTS, make)
                    }
                    _ => usage(&format!("no scaling actix stack {stack}")),
                }
            })
        }
        _ => usage(&format!("no scaling group {group}")),
    }
}
