//! Allocations per request through every stack, for the five cases and the
//! refused hostile preflights: what the allocation test asserts on and the report
//! prints. Meaningful only in a binary whose global allocator is
//! [`Counting`](crate::counting::Counting) (see [`installed`](crate::counting::installed)).

use crate::counting::allocations;
use crate::{actix_stack, tower_stack, Case, Hostile, RequestSpec};

/// One request, through every stack of one adapter.
#[derive(Clone, Debug)]
pub struct Row {
    /// The case id (`preflight-allowed`, ..., `commas-1MiB`, ...).
    pub case: &'static str,
    /// (stack id, allocations), in the adapter's `Stack::ALL` order.
    pub counts: Vec<(&'static str, usize)>,
    /// Did our stacks write exactly the floor's CORS lines (so the comparison is like for like)?
    pub same_lines_as_floor: bool,
}

impl Row {
    /// The count of one stack.
    pub fn get(&self, stack: &str) -> usize {
        self.counts
            .iter()
            .find(|(id, _)| *id == stack)
            .map(|&(_, n)| n)
            .unwrap_or_else(|| panic!("no stack {stack}"))
    }
}

/// The requests counted: the five cases, then the refused hostile preflights.
pub fn requests() -> Vec<(&'static str, RequestSpec, bool)> {
    let cases = Case::ALL.map(|c| (c.id(), c.spec(), c.is_preflight()));
    let hostile = Hostile::REFUSED.map(|h| (h.id(), h.spec(), true));
    cases.into_iter().chain(hostile).collect()
}

/// `Policy::decide` of the `cors!` policy on each request: (case, allocations).
pub fn engine() -> Vec<(&'static str, usize)> {
    engine_made(tower_stack::Made::Parsed)
}

/// The same on in-process requests (values owning their bytes).
pub fn engine_in_process() -> Vec<(&'static str, usize)> {
    engine_made(tower_stack::Made::InProcess)
}

fn engine_made(made: tower_stack::Made) -> Vec<(&'static str, usize)> {
    requests()
        .into_iter()
        .map(|(id, spec, _)| {
            let req = tower_stack::Template::made(&spec, made).request();
            let (_, n) = allocations(|| crate::API.decide(&req));
            (id, n)
        })
        .collect()
}

/// Through tower, requests as hyper parses them.
pub fn tower() -> Vec<Row> {
    tower_made(tower_stack::Made::Parsed)
}

/// Through tower, requests built in process (as `lambda_http` converts API
/// Gateway events): the floor is the same, so the echo must not copy the origin.
pub fn tower_in_process() -> Vec<Row> {
    tower_made(tower_stack::Made::InProcess)
}

fn tower_made(made: tower_stack::Made) -> Vec<Row> {
    requests()
        .into_iter()
        .map(|(case, spec, preflight)| {
            let template = tower_stack::Template::made(&spec, made);
            let mut counts = Vec::new();
            let mut lines = Vec::new();
            for stack in tower_stack::Stack::ALL {
                let mut svc = tower_stack::build(stack, &spec, preflight);
                let (n, res) = tower_stack::count_allocations(&mut svc, &template);
                counts.push((stack.id(), n));
                lines.push((stack, res.status(), tower_stack::cors_lines(res.headers())));
            }
            let floor = lines.iter().find(|l| l.0 == tower_stack::Stack::Floor).cloned();
            let same_lines_as_floor = lines
                .iter()
                .filter(|l| matches!(l.0, tower_stack::Stack::CorsMacro | tower_stack::Stack::CorsBuilder))
                .all(|l| Some((l.1, &l.2)) == floor.as_ref().map(|f| (f.1, &f.2)));
            Row {
                case,
                counts,
                same_lines_as_floor,
            }
        })
        .collect()
}

/// Through actix-web; call inside an actix `System`.
pub async fn actix() -> Vec<Row> {
    let mut rows = Vec::new();
    for (case, spec, preflight) in requests() {
        let template = actix_stack::Template::new(&spec);
        let mut counts = Vec::new();
        let mut answers = Vec::new();
        for stack in actix_stack::Stack::ALL {
            let mut svc = actix_stack::build(stack, &spec, preflight).await;
            let (n, answer) = actix_stack::count_allocations(&mut svc, &template);
            counts.push((stack.id(), n));
            answers.push((stack, answer));
        }
        let floor = answers
            .iter()
            .find(|a| a.0 == actix_stack::Stack::Floor)
            .map(|a| a.1.clone());
        let same_lines_as_floor = answers
            .iter()
            .filter(|a| matches!(a.0, actix_stack::Stack::CorsMacro | actix_stack::Stack::CorsBuilder))
            .all(|a| Some(&a.1) == floor.as_ref());
        rows.push(Row {
            case,
            counts,
            same_lines_as_floor,
        });
    }
    rows
}
