//! `corsair check`: offline, what a corsair policy file answers to the request a
//! browser would send, checked by the browser's own rules, with the engine's explanation.

use corsair::{Config, Denial, Policy};
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
    /// The `cors!` line that would allow what was denied.
    lines: Vec<String>,
}

/// The `cors!` line that lifts `denial` for `hop`, when one line can.
fn cors_line(policy: &Policy, denial: Denial, hop: &Hop) -> Option<String> {
    let header = |name: &str| {
        hop.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    match denial {
        Denial::Origin => {
            header("origin").map(|o| format!("`allow_origins: [\"{o}\"],` (with the origins already allowed)"))
        }
        Denial::Method => header("access-control-request-method")
            .map(|m| format!("`allow_methods: [\"{m}\"],` (with the methods already allowed)")),
        Denial::Header { .. } => {
            let names = header("access-control-request-headers")?;
            let name = names
                .split(',')
                .map(str::trim)
                .find(|n| !policy.allows_request_header(n.as_bytes()))?;
            Some(format!(
                "`allow_headers: [\"{name}\"],` (with the headers already allowed)"
            ))
        }
        Denial::PrivateNetwork => Some("`allow_private_network: true,`".to_owned()),
        _ => None,
    }
}

impl Transport for Engine<'_> {
    type Error = String;

    fn send(&mut self, hop: &Hop) -> Result<Option<ResponseHead>, String> {
        let mut builder = http::Request::builder()
            .method(hop.method.as_str())
            .uri(hop.url.as_str());
        for (n, v) in &hop.headers {
            let name = HeaderName::from_bytes(n.as_bytes()).map_err(|_| format!("`{n}` is not a header name"))?;
            let value =
                HeaderValue::from_str(v).map_err(|_| format!("the value of `{n}` is not a valid header value"))?;
            builder = builder.header(name, value);
        }
        let request = builder.body(()).map_err(|e| format!("cannot build the request: {e}"))?;
        let decision = self.policy.decide(&request);
        let explanation = decision.explain(self.policy, &request).to_string();
        if let Some(denial) = decision.denial() {
            self.explanations.push(explanation);
            self.lines.extend(cors_line(self.policy, denial, hop));
        }
        let mut response = HeaderMap::new();
        decision.apply(self.policy, request.headers(), &mut response);
        Ok(Some(ResponseHead {
            status: decision.status().unwrap_or(200),
            headers: response
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body_start: String::new(),
        }))
    }
}

/// What `policy` answers to `request` (its URL only names the resource), as the
/// browser would judge it; the engine's reason is added to the fix when it denied.
///
/// ```
/// use corsair_cli::check::{check, load_policy};
/// use corsair_doctor::{Credentials, PageRequest};
///
/// let policy = load_policy(r#"{"AllowOrigins": ["https://app.example.com"], "AllowMethods": ["GET", "PUT"]}"#).unwrap();
/// let request = PageRequest {
///     url: "https://api.example.com/items".into(),
///     method: "DELETE".into(),
///     origin: "https://app.example.com".into(),
///     headers: vec![],
///     credentials: Credentials::Omit,
/// };
/// let finding = check(&policy, &request).unwrap();
/// assert_eq!(finding.cors_error.unwrap().name(), "PreflightMissingAllowOriginHeader");
/// assert!(finding.fix.contains("`allow_methods: [\"DELETE\"],`"));
/// ```
pub fn check(policy: &Policy, request: &PageRequest) -> Result<Finding, String> {
    let mut engine = Engine {
        policy,
        explanations: Vec::new(),
        lines: Vec::new(),
    };
    let mut finding = run(request, &mut engine).map_err(|e| match e {
        FlowError::Url(m) | FlowError::Transport(m) => m,
    })?;
    if finding.verdict == Verdict::Blocked && !engine.explanations.is_empty() {
        finding.fix = format!("corsair denied it: {}", engine.explanations.join("; "));
        if !engine.lines.is_empty() {
            finding.fix = format!("{}; to allow it, add {}", finding.fix, engine.lines.join(" and "));
        }
    }
    Ok(finding)
}
