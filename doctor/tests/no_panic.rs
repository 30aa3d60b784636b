//! Malformed HAR files and malformed header values never panic the analysis.

use corsair_doctor::{
    check_access, check_preflight, har, preflight_for, run, Credentials, Hop, PageRequest, Preflight, ResponseHead,
    Transport,
};
use proptest::prelude::*;

fn entry_json() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        Just(String::new()),
        "[ -~]{0,40}",
        Just("OPTIONS".to_owned()),
        Just("https://api.example.com/x".to_owned()),
        Just("https://app.example.com".to_owned()),
        "\\PC{0,20}"
    ];
    let value = prop_oneof![
        text.clone().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        Just(serde_json::Value::Null),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
    ];
    let header = (
        prop_oneof![
            Just("origin".to_owned()),
            Just("access-control-request-method".to_owned()),
            Just("access-control-allow-origin".to_owned()),
            Just("location".to_owned()),
            Just("cookie".to_owned()),
            "[a-z-]{0,12}"
        ],
        value.clone(),
    )
        .prop_map(|(n, v)| serde_json::json!({ "name": n, "value": v }));
    let headers = prop_oneof![
        proptest::collection::vec(header, 0..6).prop_map(serde_json::Value::from),
        value.clone()
    ];
    (value.clone(), value.clone(), headers.clone(), value.clone(), headers, value.clone(), value)
        .prop_map(|(m, u, rh, st, sh, redirect, err)| {
            serde_json::json!({
                "request": { "method": m, "url": u, "headers": rh },
                "response": { "status": st, "headers": sh, "redirectURL": redirect, "content": { "text": "Missing Authentication Token" } },
                "_error": err,
            })
            .to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn har_of_random_entries(entries in proptest::collection::vec(entry_json(), 0..8)) {
        let text = format!("{{\"log\":{{\"entries\":[{}]}}}}", entries.join(","));
        let _ = har::analyze(&text);
    }

    #[test]
    fn har_of_random_bytes(text in "\\PC{0,200}") {
        let _ = har::analyze(&text);
        let _ = har::analyze(&format!("{{\"log\":{{\"entries\":[{text}]}}}}"));
    }

    #[test]
    fn headers_of_any_value(
        acao in "\\PC{0,40}", acac in "\\PC{0,10}", acam in "\\PC{0,30}", acah in "\\PC{0,30}",
        status in any::<u16>(), method in "\\PC{0,10}", names in proptest::collection::vec("\\PC{0,10}", 0..4),
        include in any::<bool>(),
    ) {
        let head = ResponseHead {
            status,
            headers: vec![
                ("access-control-allow-origin".into(), acao),
                ("access-control-allow-credentials".into(), acac),
                ("access-control-allow-methods".into(), acam),
                ("access-control-allow-headers".into(), acah),
                ("location".into(), "\u{0}::".into()),
            ],
            body_start: String::new(),
        };
        let credentials = if include { Credentials::Include } else { Credentials::Omit };
        let _ = check_access(&head, "https://app.example.com", credentials);
        let _ = check_preflight(&head, "https://app.example.com", credentials, &Preflight { method: method.clone(), headers: names.clone() });
        let page_headers: Vec<(String, String)> = names.iter().map(|n| (n.clone(), n.repeat(50))).collect();
        let _ = preflight_for(&method, &page_headers);
        struct Echo(ResponseHead, usize);
        impl Transport for Echo {
            type Error = ();
            fn send(&mut self, _: &Hop) -> Result<Option<ResponseHead>, ()> {
                self.1 += 1;
                Ok(Some(self.0.clone()))
            }
        }
        let req = PageRequest { url: "https://api.example.com/x".into(), method, origin: "https://app.example.com".into(), headers: page_headers, credentials };
        let mut t = Echo(head, 0);
        let _ = run(&req, &mut t);
        prop_assert!(t.1 <= 2 * (corsair_doctor::MAX_REDIRECTS + 1));
    }
}
