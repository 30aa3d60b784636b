//! `corsair export`: a checked policy file written in API Gateway's words, refusing
//! what the gateway cannot say exactly instead of widening it.

use corsair::{Config, Policy};
use serde_json::{json, Map, Value};

/// The target format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An HTTP API `CorsConfiguration` (JSON).
    ApigwHttp,
    /// An OpenAPI document with the HTTP API `x-amazon-apigateway-cors` extension.
    Openapi,
    /// A REST API OpenAPI document: a mock OPTIONS method per path and CORS headers on DEFAULT_4XX/DEFAULT_5XX.
    ApigwRest,
}

/// A subdomain or port pattern; `*`, `https://*` and `http://*` are the gateway's own words.
fn is_pattern(origin: &str) -> bool {
    !matches!(origin, "*" | "https://*" | "http://*") && origin.contains('*')
}

/// The gateway-independent refusals: what no API Gateway CORS setting can say.
fn common_problems(c: &Config) -> Vec<String> {
    let mut problems = Vec::new();
    for o in c.allow_origins.iter().filter(|o| is_pattern(o)) {
        problems.push(format!(
            "allow_origins: `{o}` is a pattern; API Gateway knows only exact origins, `*`, `https://*` and `http://*`: list each origin it stands for, or answer CORS in the backend with corsair (a proxy integration)"
        ));
    }
    if c.allow_private_network {
        problems.push("allow_private_network: API Gateway never sends Access-Control-Allow-Private-Network; set it to false or answer CORS in the backend".to_owned());
    }
    problems
}

fn http_api(c: &Config) -> Value {
    let mut m = Map::new();
    m.insert("AllowOrigins".into(), json!(c.allow_origins));
    if let Some(methods) = &c.allow_methods {
        m.insert("AllowMethods".into(), json!(methods));
    }
    if !c.allow_headers.is_empty() {
        m.insert("AllowHeaders".into(), json!(c.allow_headers));
    }
    if !c.expose_headers.is_empty() {
        m.insert("ExposeHeaders".into(), json!(c.expose_headers));
    }
    if c.allow_credentials {
        m.insert("AllowCredentials".into(), json!(true));
    }
    if let Some(age) = c.max_age {
        m.insert("MaxAge".into(), json!(age));
    }
    Value::Object(m)
}

fn lower_camel(v: &Value) -> Value {
    let Value::Object(m) = v else { return v.clone() };
    Value::Object(
        m.iter()
            .map(|(k, v)| {
                let mut k = k.clone();
                if let Some(first) = k.get(..1) {
                    k = first.to_ascii_lowercase() + &k[1..];
                }
                (k, v.clone())
            })
            .collect(),
    )
}

/// REST mock responses are static: every header value must be one constant.
fn rest_api(c: &Config, paths: &[String]) -> Result<Value, Vec<String>> {
    let mut problems = Vec::new();
    let origin = match c.allow_origins.as_slice() {
        [one] if !one.ends_with("://*") => one.clone(),
        _ => {
            problems.push(format!(
                "allow_origins: {:?} needs the origin echoed, and a REST API mock integration answers with fixed headers; allow one origin (or `*`), or answer CORS in a proxy integration (a Lambda behind the gateway, with corsair's engine)",
                c.allow_origins
            ));
            String::new()
        }
    };
    let star = |list: &[String]| list.iter().any(|s| s == "*");
    if c.allow_credentials && c.allow_methods.as_deref().is_some_and(star) {
        problems.push("allow_methods: with credentials `*` must echo the requested method, which a mock response cannot; list the methods".to_owned());
    }
    if c.allow_credentials && star(&c.allow_headers) {
        problems.push("allow_headers: with credentials `*` must echo the requested names, which a mock response cannot; list the headers".to_owned());
    }
    if paths.is_empty() {
        problems
            .push("--path: name at least one resource path (e.g. --path /items) to get its OPTIONS method".to_owned());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let methods = c
        .allow_methods
        .clone()
        .unwrap_or_else(|| vec!["GET".into(), "HEAD".into(), "POST".into()])
        .join(",");
    let quoted = |s: &str| format!("'{s}'");
    let mut preflight = vec![
        ("Access-Control-Allow-Origin", quoted(&origin)),
        ("Access-Control-Allow-Methods", quoted(&methods)),
    ];
    if !c.allow_headers.is_empty() {
        preflight.push(("Access-Control-Allow-Headers", quoted(&c.allow_headers.join(","))));
    }
    let mut always = vec![("Access-Control-Allow-Origin", quoted(&origin))];
    if c.allow_credentials {
        preflight.push(("Access-Control-Allow-Credentials", quoted("true")));
        always.push(("Access-Control-Allow-Credentials", quoted("true")));
    }
    if !c.expose_headers.is_empty() {
        always.push(("Access-Control-Expose-Headers", quoted(&c.expose_headers.join(","))));
    }
    if let Some(age) = c.max_age {
        preflight.push(("Access-Control-Max-Age", quoted(&age.max(0).to_string())));
    }
    let status = c.preflight_status.unwrap_or(204).to_string();
    let method_headers: Map<String, Value> = preflight
        .iter()
        .map(|(n, _)| ((*n).to_owned(), json!({ "schema": { "type": "string" } })))
        .collect();
    let params = |prefix: &str, list: &[(&str, String)]| -> Map<String, Value> {
        list.iter()
            .map(|(n, v)| (format!("{prefix}.header.{n}"), json!(v)))
            .collect()
    };
    let options = json!({
        "summary": "CORS preflight, answered by the gateway (corsair export)",
        "responses": { status.clone(): { "description": "CORS preflight", "headers": method_headers } },
        "x-amazon-apigateway-integration": {
            "type": "mock",
            "requestTemplates": { "application/json": format!("{{\"statusCode\": {status}}}") },
            "passthroughBehavior": "when_no_match",
            "responses": { "default": { "statusCode": status, "responseParameters": params("method.response", &preflight) } },
        },
    });
    let paths: Map<String, Value> = paths
        .iter()
        .map(|p| (p.clone(), json!({ "options": options })))
        .collect();
    let gateway = json!({ "responseParameters": params("gatewayresponse", &always) });
    Ok(json!({
        "openapi": "3.0.1",
        "info": { "title": "CORS (corsair export)", "version": "1" },
        "paths": paths,
        "x-amazon-apigateway-gateway-responses": { "DEFAULT_4XX": gateway, "DEFAULT_5XX": gateway },
    }))
}

/// Writes the policy file `text` as `format`. `Err` lists every problem, one a line:
/// the policy's own (the same validation as everywhere) or what the target cannot say.
pub fn export(text: &str, format: Format, paths: &[String]) -> Result<String, String> {
    let config: Config = serde_json::from_str(text).map_err(|e| format!("not a policy file: {e}"))?;
    Policy::try_from(config.clone()).map_err(|e| e.to_string())?;
    let mut problems = common_problems(&config);
    let doc = match format {
        Format::ApigwHttp => http_api(&config),
        Format::Openapi => json!({
            "openapi": "3.0.1",
            "info": { "title": "CORS (corsair export)", "version": "1" },
            "paths": {},
            "x-amazon-apigateway-cors": lower_camel(&http_api(&config)),
        }),
        Format::ApigwRest => match rest_api(&config, paths) {
            Ok(doc) => doc,
            Err(p) => {
                problems.extend(p);
                Value::Null
            }
        },
    };
    if !problems.is_empty() {
        return Err(format!("cannot export exactly:\n  {}", problems.join("\n  ")));
    }
    serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())
}
