//! Target `hostile`: the hostile `Access-Control-Request-Headers` preflights of
//! [`Hostile`], `decide` alone (stack `decide`) and, for the values the criterion
//! hostile bench sends through the adapters, one request through each adapter's
//! bare service, our `cors!` policy and the peer (the criterion ids).

use actix_web::test::init_service;
use corsair::actix::Cors;
use corsair::tower::CorsLayer;
use corsair_bench::actix_stack::{self, app};
use corsair_bench::tower_stack::{self, Template};
use corsair_bench::{Hostile, HostilePolicy};
use tower::Layer;

use super::{measure_actix, measure_decide, measure_tower, usage};

/// Every measurement of the target: `decide` on each hostile value and each
/// policy's ordinary preflight, then the adapters' values through each stack.
pub fn names() -> Vec<[String; 4]> {
    let ordinary = [HostilePolicy::Api, HostilePolicy::HundredNames].map(HostilePolicy::ordinary_id);
    let decide = Hostile::ALL
        .into_iter()
        .map(Hostile::id)
        .chain(ordinary)
        .map(|id| ["hostile", id, "decide", "value"]);
    let adapters = Hostile::REFUSED
        .into_iter()
        .flat_map(|h| Hostile::ADAPTER_STACKS.map(|stack| ["hostile", h.id(), stack, "value"]));
    decide.chain(adapters).map(|n| n.map(str::to_owned)).collect()
}

/// One measurement: value or ordinary preflight `id` through `stack`.
pub fn one(id: &str, stack: &str) {
    let hundred = corsair_bench::hundred_names();
    let policy_of = |p: HostilePolicy| match p {
        HostilePolicy::Api => &corsair_bench::API,
        HostilePolicy::HundredNames => &hundred,
    };
    let (policy, spec) = match Hostile::ALL.into_iter().find(|h| h.id() == id) {
        Some(h) => (policy_of(h.policy()), h.spec()),
        None => match [HostilePolicy::Api, HostilePolicy::HundredNames]
            .into_iter()
            .find(|p| p.ordinary_id() == id)
        {
            Some(p) => (policy_of(p), p.ordinary()),
            None => usage(&format!("no hostile case {id}")),
        },
    };
    if stack == "decide" {
        return measure_decide(policy, &[Template::new(&spec).request()]);
    }
    // Through the adapters, the main comparison's policy, as in the criterion benchmark.
    let policy = &corsair_bench::API;
    let tower = Template::new(&spec);
    let tower = |_| tower.request();
    let actix = actix_stack::Template::new(&spec);
    let actix = |_| actix.request();
    match stack {
        "tower-bare" => measure_tower(tower_stack::bare(), 1, tower),
        "tower-cors-macro" => measure_tower(CorsLayer::new(policy).layer(tower_stack::bare()), 1, tower),
        "tower-http" => measure_tower(tower_stack::tower_http_api().layer(tower_stack::bare()), 1, tower),
        _ => actix_web::rt::System::new().block_on(async {
            match stack {
                "actix-bare" => measure_actix(init_service(app()).await, 1, actix),
                "actix-cors-macro" => measure_actix(init_service(app().wrap(Cors::new(policy))).await, 1, actix),
                "actix-cors" => measure_actix(init_service(app().wrap(actix_stack::actix_cors_api())).await, 1, actix),
                _ => usage(&format!("no hostile stack {stack}")),
            }
        }),
    }
}
