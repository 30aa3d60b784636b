//! Amazon API Gateway HTTP API `CorsConfiguration`s, in every form AWS documents,
//! imported with the gateway's meaning and checked request by request: what a
//! browser's preflight or request from a given origin gets back.
#![cfg(feature = "serde")]

use corsair_core::{ApiGatewayDocument, Code, Config, Dialect, Policy};
use http::{HeaderMap, Request};

fn config(json: &str) -> Config {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn policy(json: &str) -> Policy {
    Policy::try_from(config(json)).unwrap_or_else(|e| panic!("{json}: {e}"))
}

fn document(json: &str) -> Policy {
    let doc: ApiGatewayDocument = serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"));
    assert_eq!(doc.config().dialect, Dialect::ApiGateway);
    Policy::try_from(doc).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// The response headers for a request with these headers (a preflight when it
/// carries `access-control-request-method` and the method is OPTIONS).
fn answer(policy: &Policy, method: &str, headers: &[(&str, &str)]) -> (Option<u16>, HeaderMap) {
    let mut req = Request::builder().method(method).uri("/items");
    for &(n, v) in headers {
        req = req.header(n, v);
    }
    let req = req.body(()).expect("request");
    let decision = policy.decide(&req);
    let mut out = HeaderMap::new();
    decision.apply(policy, req.headers(), &mut out);
    (decision.status(), out)
}

fn acao(policy: &Policy, origin: &str) -> Option<String> {
    let (_, h) = answer(policy, "GET", &[("origin", origin)]);
    h.get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap().to_owned())
}

fn preflight(policy: &Policy, origin: &str, method: &str, headers: &str) -> (Option<u16>, HeaderMap) {
    let mut h = vec![("origin", origin), ("access-control-request-method", method)];
    if !headers.is_empty() {
        h.push(("access-control-request-headers", headers));
    }
    answer(policy, "OPTIONS", &h)
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

#[test]
fn both_gateway_spellings_read_the_same_and_record_the_dialect() {
    let pascal = r#"{"AllowOrigins":["https://www.example.com"],"AllowMethods":["GET","PUT"],"AllowHeaders":["x-amz-date"],"ExposeHeaders":["x-api-id"],"AllowCredentials":true,"MaxAge":300}"#;
    let camel = r#"{"allowOrigins":["https://www.example.com"],"allowMethods":["GET","PUT"],"allowHeaders":["x-amz-date"],"exposeHeaders":["x-api-id"],"allowCredentials":true,"maxAge":300}"#;
    let snake = r#"{"allow_origins":["https://www.example.com"],"allow_methods":["GET","PUT"],"allow_headers":["x-amz-date"],"expose_headers":["x-api-id"],"allow_credentials":true,"max_age":300}"#;
    assert_eq!(config(pascal).dialect, Dialect::ApiGateway);
    assert_eq!(config(camel).dialect, Dialect::ApiGateway);
    assert_eq!(config(snake).dialect, Dialect::Corsair);
    assert_eq!(config(pascal), config(camel));
    for json in [pascal, camel, snake] {
        let p = policy(json);
        let (status, h) = preflight(&p, "https://www.example.com", "PUT", "x-amz-date");
        assert_eq!(status, Some(204), "{json}");
        assert_eq!(
            header(&h, "access-control-allow-origin"),
            Some("https://www.example.com")
        );
        assert_eq!(header(&h, "access-control-allow-credentials"), Some("true"));
        assert_eq!(header(&h, "access-control-allow-methods"), Some("GET, PUT"));
        assert_eq!(header(&h, "access-control-allow-headers"), Some("x-amz-date"));
        assert_eq!(header(&h, "access-control-max-age"), Some("300"));
        let (_, h) = answer(&p, "GET", &[("origin", "https://www.example.com")]);
        assert_eq!(header(&h, "access-control-expose-headers"), Some("x-api-id"));
        assert_eq!(acao(&p, "https://example.com"), None, "{json}");
    }
}

#[test]
fn star_lists_allow_every_origin_method_and_header() {
    let p = policy(r#"{"AllowOrigins":["*"],"AllowMethods":["*"],"AllowHeaders":["*"],"ExposeHeaders":["*"]}"#);
    let (status, h) = preflight(&p, "https://anything.example", "PATCH", "content-type,x-custom");
    assert_eq!(status, Some(204));
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&h, "access-control-allow-methods"), Some("*"));
    assert_eq!(header(&h, "access-control-allow-headers"), Some("*"));
    assert_eq!(acao(&p, "http://localhost:3000").as_deref(), Some("*"));
    let (_, h) = answer(&p, "GET", &[("origin", "https://anything.example")]);
    assert_eq!(header(&h, "access-control-expose-headers"), Some("*"));
}

#[test]
fn max_age_minus_one_sends_zero_so_browsers_do_not_cache() {
    let p = policy(r#"{"AllowOrigins":["https://www.example.com"],"MaxAge":-1}"#);
    let (_, h) = preflight(&p, "https://www.example.com", "GET", "");
    assert_eq!(header(&h, "access-control-max-age"), Some("0"));
}

#[test]
fn a_get_api_document_imports_its_cors_configuration() {
    let p = document(
        r#"{
        "ApiEndpoint": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
        "ApiId": "a1b2c3d4e5",
        "ApiKeySelectionExpression": "$request.header.x-api-key",
        "CorsConfiguration": {
            "AllowCredentials": false,
            "AllowHeaders": ["authorization", "content-type"],
            "AllowMethods": ["GET", "POST", "DELETE"],
            "AllowOrigins": ["https://www.example.com", "http://localhost:8080"],
            "ExposeHeaders": ["date", "x-api-id"],
            "MaxAge": 3600
        },
        "CreatedDate": "2026-11-30T09:12:45+00:00",
        "DisableExecuteApiEndpoint": false,
        "Name": "items",
        "ProtocolType": "HTTP",
        "RouteSelectionExpression": "$request.method $request.path",
        "Tags": {}
    }"#,
    );
    let (status, h) = preflight(&p, "http://localhost:8080", "DELETE", "authorization");
    assert_eq!(status, Some(204));
    assert_eq!(header(&h, "access-control-allow-origin"), Some("http://localhost:8080"));
    assert_eq!(header(&h, "access-control-allow-credentials"), None);
    assert_eq!(header(&h, "access-control-max-age"), Some("3600"));
    let (status, _) = preflight(&p, "http://localhost:8081", "DELETE", "");
    assert_eq!(status, Some(403));
}

#[test]
fn an_openapi_document_imports_x_amazon_apigateway_cors() {
    let p = document(
        r#"{
        "openapi": "3.0.1",
        "info": {"title": "items", "version": "2026-12-01"},
        "x-amazon-apigateway-cors": {
            "allowOrigins": ["https://www.example.com"],
            "allowCredentials": true,
            "exposeHeaders": ["x-apigateway-header", "x-amz-date", "content-type"],
            "maxAge": 3600,
            "allowMethods": ["GET", "OPTIONS", "POST"],
            "allowHeaders": ["x-apigateway-header", "x-amz-date", "content-type"]
        },
        "paths": {
            "/{proxy+}": {
                "x-amazon-apigateway-any-method": {
                    "x-amazon-apigateway-integration": {
                        "type": "aws_proxy",
                        "httpMethod": "POST",
                        "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:items/invocations",
                        "payloadFormatVersion": "2.0"
                    }
                }
            }
        }
    }"#,
    );
    let (status, h) = preflight(&p, "https://www.example.com", "POST", "x-amz-date");
    assert_eq!(status, Some(204));
    assert_eq!(header(&h, "access-control-allow-credentials"), Some("true"));
    assert_eq!(header(&h, "access-control-allow-methods"), Some("GET, OPTIONS, POST"));
    assert_eq!(acao(&p, "https://evil.example"), None);
}

fn refused(json: &str) -> corsair_core::Error {
    match Policy::try_from(config(json)) {
        Ok(_) => panic!("{json} was accepted"),
        Err(e) => e,
    }
}

#[test]
fn a_pattern_the_gateway_reads_differently_is_refused_saying_what_it_would_do() {
    let e = refused(r#"{"AllowOrigins":["https://www.example.com","https://*.example.com","http://localhost:*"]}"#);
    let p = e.problems();
    assert_eq!(p.len(), 2, "{e}");
    assert!(p.iter().all(|p| p.code == Code::GatewayNoEquivalent), "{e}");
    assert_eq!((p[0].index, p[1].index), (Some(1), Some(2)));
    assert_eq!(
        p[0].message,
        "API Gateway's only origin patterns are `*`, `https://*` and `http://*`: it would not read \
         `https://*.example.com` as every subdomain of `example.com`, so importing it with corsair's \
         meaning would allow origins the gateway does not"
    );
    assert!(
        p[1].message.contains("`http://localhost:*` as every port"),
        "{}",
        p[1].message
    );
    assert!(p[0].hint.contains("allow_origins"), "{}", p[0].hint);
    // The same patterns in corsair's own keys mean what they mean in `cors!`.
    let ours = policy(r#"{"allow_origins":["https://*.example.com","http://localhost:*"]}"#);
    assert_eq!(
        acao(&ours, "https://eu.example.com").as_deref(),
        Some("https://eu.example.com")
    );
}

#[test]
fn gateway_refusals_come_with_the_builders_without_repeats() {
    let e = refused(r#"{"AllowOrigins":["https://*.example.com","https://a.com/"],"AllowMethods":["patch"]}"#);
    let codes: Vec<Code> = e.problems().iter().map(|p| p.code).collect();
    assert_eq!(
        codes,
        [Code::GatewayNoEquivalent, Code::OriginHasPath, Code::MethodCase],
        "{e}"
    );
}

fn not_a_config(json: &str) -> String {
    match serde_json::from_str::<Config>(json) {
        Ok(c) => panic!("{json} was read as {c:?}"),
        Err(e) => e.to_string(),
    }
}

fn not_a_document(json: &str) -> String {
    match serde_json::from_str::<ApiGatewayDocument>(json) {
        Ok(d) => panic!("{json} was read as {d:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn one_config_uses_one_spelling() {
    let msg = not_a_config(r#"{"AllowOrigins":["https://a.com"],"allow_credentials":true}"#);
    assert!(
        msg.starts_with("`AllowOrigins` is API Gateway's spelling and `allow_credentials` corsair's"),
        "{msg}"
    );
    let msg = not_a_config(r#"{"allow_private_network":true,"allowOrigins":["https://a.com"]}"#);
    assert!(
        msg.contains("`allow_private_network` has no API Gateway spelling"),
        "{msg}"
    );
    let msg = not_a_config(r#"{"AllowOrigins":["https://a.com"],"allowOrigins":["https://b.com"]}"#);
    assert!(msg.contains("duplicate field `allowOrigins`"), "{msg}");
    let msg = not_a_config(r#"{"AllowOrigin":["https://a.com"]}"#);
    assert!(msg.contains("unknown field `AllowOrigin`"), "{msg}");
}

#[test]
fn documents_without_an_http_api_cors_configuration_are_refused_saying_what_the_gateway_does() {
    let msg = not_a_document(r#"{"ApiId":"a1b2c3d4e5","Name":"items","ProtocolType":"HTTP"}"#);
    assert!(
        msg.contains("API Gateway then adds no CORS headers and passes preflights"),
        "{msg}"
    );
    let msg = not_a_document(r#"{"openapi":"3.0.1","paths":{}}"#);
    assert!(
        msg.contains("no `CorsConfiguration` (get-api output) or `x-amazon-apigateway-cors`"),
        "{msg}"
    );
    let msg = not_a_document(
        r#"{"ApiId":"w","ProtocolType":"WEBSOCKET","CorsConfiguration":{"AllowOrigins":["https://a.com"]}}"#,
    );
    assert!(msg.contains("ProtocolType is `WEBSOCKET`"), "{msg}");
    let msg = not_a_document(r#"{"CorsConfiguration":{"allow_origins":["https://a.com"]}}"#);
    assert!(msg.contains("API Gateway reads only its own"), "{msg}");
    let msg = not_a_document(
        r#"{"CorsConfiguration":{"AllowOrigins":["https://a.com"]},"x-amazon-apigateway-cors":{"allowOrigins":["https://a.com"]}}"#,
    );
    assert!(
        msg.contains("both `CorsConfiguration` and `x-amazon-apigateway-cors`"),
        "{msg}"
    );
}

#[test]
fn an_empty_cors_configuration_in_a_document_is_the_gateways_and_allows_no_origin() {
    let doc: ApiGatewayDocument = serde_json::from_str(r#"{"CorsConfiguration":{}}"#).unwrap();
    assert_eq!(doc.config().dialect, Dialect::ApiGateway);
    let e = Policy::try_from(doc).unwrap_err();
    assert_eq!(e.problems()[0].code, Code::OriginsEmpty, "{e}");
}

#[test]
fn https_star_allows_every_https_origin_and_never_an_http_one() {
    for json in [r#"{"AllowOrigins":["https://*"]}"#, r#"{"allowOrigins":["https://*"]}"#] {
        let p = policy(json);
        assert!(!p.is_any_origin(), "{json}");
        assert_eq!(
            acao(&p, "https://anything.example").as_deref(),
            Some("https://anything.example")
        );
        assert_eq!(
            acao(&p, "https://api.eu.anything.example:8443").as_deref(),
            Some("https://api.eu.anything.example:8443")
        );
        assert_eq!(acao(&p, "http://anything.example"), None, "{json}");
        assert_eq!(acao(&p, "https://Anything.example"), None, "{json}: not canonical");
        // Echoed, so the answer depends on the origin: `Vary: origin`, never `*`.
        let (_, h) = answer(&p, "GET", &[("origin", "https://anything.example")]);
        assert_eq!(header(&h, "vary"), Some("origin"));
        let (_, h) = answer(&p, "GET", &[("origin", "http://anything.example")]);
        assert_eq!(header(&h, "vary"), Some("origin"));
        let (status, h) = preflight(&p, "https://anything.example", "POST", "");
        assert_eq!(status, Some(204));
        assert_eq!(
            header(&h, "access-control-allow-origin"),
            Some("https://anything.example")
        );
        let (status, _) = preflight(&p, "http://anything.example", "POST", "");
        assert_eq!(status, Some(403));
    }
}

#[test]
fn http_star_allows_every_http_origin_and_never_an_https_one() {
    let p = policy(r#"{"AllowOrigins":["http://*"],"AllowMethods":["GET"]}"#);
    assert_eq!(
        acao(&p, "http://localhost:8080").as_deref(),
        Some("http://localhost:8080")
    );
    assert_eq!(
        acao(&p, "http://anything.example").as_deref(),
        Some("http://anything.example")
    );
    assert_eq!(acao(&p, "https://anything.example"), None);
    let both = policy(r#"{"AllowOrigins":["https://*","http://*"]}"#);
    assert_eq!(
        acao(&both, "https://anything.example").as_deref(),
        Some("https://anything.example")
    );
    assert_eq!(
        acao(&both, "http://anything.example").as_deref(),
        Some("http://anything.example")
    );
    assert_eq!(acao(&both, "chrome-extension://abcdefgh"), None);
}

#[test]
fn scheme_wide_origins_with_credentials_are_refused_as_star_is() {
    let e = refused(r#"{"AllowOrigins":["https://*"],"AllowCredentials":true}"#);
    assert_eq!(e.problems()[0].code, Code::WildcardOriginWithCredentials, "{e}");
    assert!(e.problems()[0].message.contains("every `https://` origin"), "{e}");
    let e = refused(r#"{"allow_origins":["http://*"],"allow_private_network":true}"#);
    assert_eq!(e.problems()[0].code, Code::PrivateNetworkWithWildcardOrigin, "{e}");
}

#[test]
fn a_get_api_document_with_https_star_keeps_the_gateways_meaning() {
    let p = document(
        r#"{"ApiId":"a1b2c3d4e5","ProtocolType":"HTTP","CorsConfiguration":{"AllowOrigins":["https://*"],"AllowMethods":["*"],"AllowHeaders":["*"],"MaxAge":-1}}"#,
    );
    let (status, h) = preflight(&p, "https://anything.example", "PATCH", "x-custom");
    assert_eq!(status, Some(204));
    assert_eq!(
        header(&h, "access-control-allow-origin"),
        Some("https://anything.example")
    );
    assert_eq!(header(&h, "access-control-max-age"), Some("0"));
    assert_eq!(
        preflight(&p, "http://anything.example", "PATCH", "x-custom").0,
        Some(403)
    );
}
