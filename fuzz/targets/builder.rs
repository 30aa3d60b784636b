//! Target `builder`: arbitrary policy input (lists of strings, bools, numbers)
//! must give Ok or an Err listing problems, never a panic; and arbitrary JSON
//! through serde_json -> Config -> Policy::try_from.

use arbitrary::{Arbitrary, Unstructured};
#[cfg(feature = "serde")]
use corsair_core::Policy;

use crate::targets::checks::check_result;
use crate::targets::input::{Text, ORIGIN_WORDS, TOKEN_WORDS};
use crate::targets::spec::Spec;

#[derive(Arbitrary, Debug)]
struct Fields<'a> {
    origins: Vec<Text<'a>>,
    methods: Option<Vec<Text<'a>>>,
    headers: Vec<Text<'a>>,
    expose: Vec<Text<'a>>,
    credentials: bool,
    max_age: Option<u32>,
    private_network: bool,
    preflight_status: Option<u16>,
    insecure: bool,
    public_suffix: bool,
}

#[derive(Arbitrary, Debug)]
enum BuilderInput<'a> {
    Fields(Fields<'a>),
    /// Raw bytes for serde_json (seeds start with four 0xff bytes to pick this variant).
    Json(&'a [u8]),
}

/// The `builder` target.
pub fn builder(data: &[u8]) {
    let Ok(input) = BuilderInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    match input {
        BuilderInput::Fields(f) => {
            let render = |v: &[Text<'_>], words: &[&str]| v.iter().map(|t| t.render(words)).collect::<Vec<_>>();
            let spec = Spec {
                origins: render(&f.origins, ORIGIN_WORDS),
                methods: f.methods.as_deref().map(|m| render(m, TOKEN_WORDS)),
                headers: render(&f.headers, TOKEN_WORDS),
                expose: render(&f.expose, TOKEN_WORDS),
                credentials: f.credentials,
                max_age: f.max_age.map(i64::from),
                private_network: f.private_network,
                preflight_status: f.preflight_status,
                insecure: f.insecure,
                public_suffix: f.public_suffix,
            };
            let r = spec.build().expect("u32 max_age");
            check_result(&spec, &r);
            assert_eq!(
                spec.build().expect("u32").err(),
                r.as_ref().err().cloned(),
                "build is not deterministic"
            );
            // The same policy as a config file gives the same answer.
            #[cfg(feature = "serde")]
            {
                let text = spec.to_json().to_string();
                let config: corsair_core::Config =
                    serde_json::from_str(&text).unwrap_or_else(|e| panic!("config {text} refused by serde: {e}"));
                let via_config = Policy::try_from(config);
                assert_eq!(
                    via_config.as_ref().err(),
                    r.as_ref().err(),
                    "builder and config disagree on {text}"
                );
            }
        }
        #[cfg(feature = "serde")]
        BuilderInput::Json(bytes) => {
            let Ok(config) = serde_json::from_slice::<corsair_core::Config>(bytes) else {
                return;
            };
            let spec = Spec::from_config(&config);
            // Section 9: in API Gateway's keys, a `*` pattern other than `*`, `https://*`
            // and `http://*` is refused (the gateway would not read it as a pattern).
            let gateway_pattern = |o: &String| o.contains('*') && !matches!(o.as_str(), "*" | "https://*" | "http://*");
            if config.dialect == corsair_core::Dialect::ApiGateway && spec.origins.iter().any(gateway_pattern) {
                let e = Policy::try_from(config).expect_err("a pattern in API Gateway's keys was accepted");
                assert!(
                    e.problems()
                        .iter()
                        .any(|p| p.code == corsair_core::Code::GatewayNoEquivalent),
                    "a pattern in API Gateway's keys was refused for something else: {e}"
                );
                return;
            }
            let r = Policy::try_from(config);
            check_result(&spec, &r);
            if let Some(b) = spec.build() {
                assert_eq!(b.err(), r.err(), "config and builder disagree on {spec:?}");
            }
        }
        #[cfg(not(feature = "serde"))]
        BuilderInput::Json(_) => {}
    }
}
