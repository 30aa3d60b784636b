//! `corsair check`: offline, what a corsair policy file answers to the request a
//! browser would send, checked by the browser's own rules, with the engine's explanation.

use corsair::{Config, Policy};
use corsair_doctor::{run, Finding, FlowError, Hop, PageRequest, ResponseHead, Transport, Verdict};
use http::{HeaderMap, HeaderName, HeaderValue};

/// Reads a policy file (`Config` JSON: snake_case keys or API Gateway's `CorsConfiguration`).
/// `Err` lists every problem, one per line, each with its fix.
pub fn load_policy(text: &str) -> Result<Policy, String> {
    let config: Config = serde_json::from_str(text).map_err(|e| format!("not a policy file: {e}"))?;
    Policy::try_from(config).map_err(|e| e.to_string().replace('\n', "; "))
}

/// Answers every hop with `policy` as a corsair-backed server would (handler: 200).
struct Engine<'a> {
    policy: &'a Policy,
    explanations: Vec<String>,
}

impl Transport for Engine<'_> {
    type Error = String;

    fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, String> {
        let mut builder = http::Request::builder().method(hop.method.as_str()).uri(hop.url.as_str());
        for (n, v) in &hop.headers {
            let name = HeaderName::from_bytes(n.as_bytes()).map_err(|_| format!("`{n}` is not a header name"))?;
            let value = HeaderValue::from_str(v).map_err(|_| format!("the value of `{n}` is not a valid header value"))?;
            builder = builder.header(name, value);
        }
        let request = builder.body(()).map_err(|e| format!("cannot build the request: {e}"))?;
        let decision = self.policy.decide(&request);
        let explanation = decision.explain(self.policy, &request).to_string();
        if explanation != "allowed" {
            self.explanations.push(explanation);
        }
        let mut response = HeaderMap::new();
        decision.apply(self.policy, request.headers(), &mut response);
        Ok(Some(ResponseHead {
            status: decision.status().unwrap_or(200),
            headers: response
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect(),
            body_start: String::new(),
        }))
    }
}

/// What `policy` answers to `request` (its URL only names the resource), as the
/// browser would judge it; the engine's reason is added to the fix when it denied.
pub fn check(policy: &Policy, request: &PageRequest) -> Result<Finding, String> {
    let mut engine = Engine {
        policy,
        explanations: Vec::new(),
    };
    let mut finding = run(request, &mut engine).map_err(|e| match e {
        FlowError::Url(m) | FlowError::Transport(m) => m,
    })?;
    if finding.verdict == Verdict::Blocked && !engine.explanations.is_empty() {
        finding.fix = format!("corsair denied it: {}", engine.explanations.join("; "));
    }
    Ok(finding)
}
