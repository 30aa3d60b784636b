//! Amazon API Gateway's CORS configurations with the gateway's meaning: the
//! refusal of forms it would read differently, and whole API documents.

use std::fmt;

use serde::de::{Error as _, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Config, Dialect};
use crate::error::{Code, Error, Field, Problem};
use crate::policy::Policy;

/// What API Gateway would do with each origin pattern that corsair reads more
/// widely: the gateway's only patterns are `*`, `https://*` and `http://*`.
pub(super) fn problems(config: &Config) -> Vec<Problem> {
    if config.dialect != Dialect::ApiGateway {
        return Vec::new();
    }
    let mut problems = Vec::new();
    for (index, origin) in config.allow_origins.iter().enumerate() {
        if !origin.contains('*') || matches!(origin.as_str(), "*" | "https://*" | "http://*") {
            continue;
        }
        let what = if origin.contains("://*.") {
            let parent = origin.split_once("://*.").map_or("", |(_, p)| p);
            format!("every subdomain of `{parent}`")
        } else if origin.ends_with(":*") {
            "every port".to_owned()
        } else {
            "a pattern".to_owned()
        };
        problems.push(Problem {
            code: Code::GatewayNoEquivalent,
            field: Field::AllowOrigins,
            index: Some(index),
            value: origin.clone(),
            message: format!(
                "API Gateway's only origin patterns are `*`, `https://*` and `http://*`: it would not read \
                 `{origin}` as {what}, so importing it with corsair's meaning would allow origins the gateway does not"
            ),
            hint: "list each origin exactly, or write the policy with corsair's own keys (`allow_origins`) to mean the pattern"
                .to_owned(),
        });
    }
    problems
}

/// The gateway's refusals ([`problems`]) added to the builder's result, without
/// repeating a builder problem about the same origin.
pub(super) fn merge(mut problems: Vec<Problem>, built: Result<Policy, Error>) -> Result<Policy, Error> {
    if problems.is_empty() {
        return built;
    }
    if let Err(e) = built {
        let ours: Vec<Option<usize>> = problems.iter().map(|p| p.index).collect();
        problems.extend(
            e.into_problems()
                .into_iter()
                .filter(|p| p.field != Field::AllowOrigins || !ours.contains(&p.index)),
        );
    }
    Err(Error::new(problems))
}

/// A whole API Gateway HTTP API document holding a `CorsConfiguration`: the output
/// of `aws apigatewayv2 get-api` (key `CorsConfiguration`), or an OpenAPI definition
/// (key `x-amazon-apigateway-cors`). Every other key is ignored.
///
/// Its configuration has the gateway's meaning ([`Dialect::ApiGateway`]). A document
/// without one is refused, saying what API Gateway does then.
///
/// ```
/// use corsair_core::{ApiGatewayDocument, Policy};
///
/// let doc: ApiGatewayDocument = serde_json::from_str(r#"{
///     "ApiEndpoint": "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com",
///     "ApiId": "a1b2c3d4e5",
///     "CorsConfiguration": {
///         "AllowOrigins": ["https://app.example.com"],
///         "AllowMethods": ["GET", "PUT"],
///         "MaxAge": 300
///     },
///     "Name": "items",
///     "ProtocolType": "HTTP"
/// }"#)?;
/// let policy = Policy::try_from(doc)?;
/// assert!(policy.allows_origin(b"https://app.example.com"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiGatewayDocument {
    config: Config,
}

impl ApiGatewayDocument {
    /// The document's CORS configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Consumes the document into its CORS configuration.
    pub fn into_config(self) -> Config {
        self.config
    }
}

impl From<ApiGatewayDocument> for Config {
    fn from(doc: ApiGatewayDocument) -> Config {
        doc.config
    }
}

impl TryFrom<ApiGatewayDocument> for Policy {
    type Error = Error;

    fn try_from(doc: ApiGatewayDocument) -> Result<Policy, Error> {
        Policy::try_from(doc.config)
    }
}

impl<'de> Deserialize<'de> for ApiGatewayDocument {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(DocumentVisitor)
    }
}

const GET_API_KEY: &str = "CorsConfiguration";
const OPENAPI_KEY: &str = "x-amazon-apigateway-cors";

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = ApiGatewayDocument;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an API Gateway HTTP API document: `aws apigatewayv2 get-api` output (with `{GET_API_KEY}`) \
             or an OpenAPI definition (with `{OPENAPI_KEY}`)"
        )
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ApiGatewayDocument, A::Error> {
        let mut found: Option<(&'static str, Config)> = None;
        let mut protocol: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            let key = match key.as_str() {
                GET_API_KEY => GET_API_KEY,
                OPENAPI_KEY => OPENAPI_KEY,
                "ProtocolType" => {
                    protocol = Some(map.next_value()?);
                    continue;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            let config: Config = map.next_value()?;
            if let Some((first, _)) = found {
                return Err(A::Error::custom(format_args!(
                    "the document has both `{first}` and `{key}`: keep the one API Gateway reads \
                     (`{GET_API_KEY}` in get-api output, `{OPENAPI_KEY}` in an OpenAPI definition)"
                )));
            }
            if config.dialect == Dialect::Corsair && config != Config::default() {
                return Err(A::Error::custom(format_args!(
                    "`{key}` holds corsair's keys (`allow_origins`, ...); API Gateway reads only its own \
                     (`AllowOrigins` or `allowOrigins`, ...), so it would ignore this configuration"
                )));
            }
            found = Some((
                key,
                Config {
                    dialect: Dialect::ApiGateway,
                    ..config
                },
            ));
        }
        if let Some(p) = protocol.filter(|p| p != "HTTP") {
            return Err(A::Error::custom(format_args!(
                "ProtocolType is `{p}`: only HTTP APIs have a CORS configuration (browsers do not \
                 preflight WebSocket connections), so there is no policy to import"
            )));
        }
        match found {
            Some((_, config)) => Ok(ApiGatewayDocument { config }),
            None => Err(A::Error::custom(format_args!(
                "the document has no `{GET_API_KEY}` (get-api output) or `{OPENAPI_KEY}` (OpenAPI): \
                 API Gateway then adds no CORS headers and passes preflights to the API's routes, so \
                 there is no policy to import; configure CORS at the gateway, or answer it in the \
                 function (`corsair::tower::CorsLayer`)"
            ))),
        }
    }
}
