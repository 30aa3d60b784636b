//! The scenarios: what the page fetches and how the scripted server answers.
//! Expectations are not written here: Chromium's own verdict is the oracle.

use super::servers::{Resp, Script};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Raw,
    Tower,
    Actix,
}

pub struct Scenario {
    pub name: &'static str,
    pub target: Target,
    pub method: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub credentials: bool,
    pub script: Script,
    /// Fetched from a page on `http://localhost:PORT`, an origin the adapters' policy does not allow.
    pub other_page: bool,
}

const ECHO: (&str, &str) = ("access-control-allow-origin", "{origin}");

fn simple(name: &'static str, actual: Resp) -> Scenario {
    Scenario {
        name,
        target: Target::Raw,
        method: "GET",
        headers: vec![],
        credentials: false,
        script: Script {
            actual,
            ..Script::default()
        },
        other_page: false,
    }
}

fn preflighted(
    name: &'static str,
    method: &'static str,
    headers: &[(&'static str, &str)],
    preflight: Resp,
    actual: Resp,
) -> Scenario {
    Scenario {
        name,
        target: Target::Raw,
        method,
        headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
        credentials: false,
        script: Script {
            preflight,
            actual,
            ..Script::default()
        },
        other_page: false,
    }
}

fn with_credentials(mut s: Scenario) -> Scenario {
    s.credentials = true;
    s
}

fn from_other_page(mut s: Scenario) -> Scenario {
    s.other_page = true;
    s
}

fn ok_preflight(extra: &[(&'static str, &str)]) -> Resp {
    let mut h = vec![ECHO];
    h.extend_from_slice(extra);
    Resp::new(204, &h)
}

fn echo() -> Resp {
    Resp::new(200, &[ECHO])
}

fn adapter(
    name: &'static str,
    target: Target,
    method: &'static str,
    headers: &[(&'static str, &str)],
    credentials: bool,
) -> Scenario {
    Scenario {
        name,
        target,
        method,
        headers: headers.iter().map(|(n, v)| (*n, (*v).to_owned())).collect(),
        credentials,
        script: Script::default(),
        other_page: false,
    }
}

pub fn scenarios() -> Vec<Scenario> {
    let json_ct: &[(&'static str, &str)] = &[("content-type", "application/json")];
    let long128 = "a".repeat(128);
    let long129 = "a".repeat(129);
    let mut list = vec![
        // The actual response's origin headers.
        simple("no-acao", Resp::new(200, &[])),
        simple(
            "acao-other-origin",
            Resp::new(200, &[("access-control-allow-origin", "https://app.example.com")]),
        ),
        simple(
            "acao-trailing-slash",
            Resp::new(200, &[("access-control-allow-origin", "{origin}/")]),
        ),
        simple("acao-two-lines", Resp::new(200, &[ECHO, ECHO])),
        simple(
            "acao-list",
            Resp::new(
                200,
                &[("access-control-allow-origin", "{origin}, https://app.example.com")],
            ),
        ),
        simple(
            "acao-pattern",
            Resp::new(200, &[("access-control-allow-origin", "*.example.com")]),
        ),
        simple("acao-null", Resp::new(200, &[("access-control-allow-origin", "null")])),
        simple(
            "acao-upper-case",
            Resp::new(200, &[("access-control-allow-origin", "HTTP://127.0.0.1")]),
        ),
        simple("acao-star", Resp::new(200, &[("access-control-allow-origin", "*")])),
        simple("acao-echo-500", Resp::new(500, &[ECHO])),
        simple("no-acao-500", Resp::new(500, &[])),
        simple("no-acao-401", Resp::new(401, &[])),
        with_credentials(simple(
            "star-with-credentials",
            Resp::new(
                200,
                &[
                    ("access-control-allow-origin", "*"),
                    ("access-control-allow-credentials", "true"),
                ],
            ),
        )),
        with_credentials(simple("credentials-no-acac", echo())),
        with_credentials(simple(
            "credentials-acac-True",
            Resp::new(200, &[ECHO, ("access-control-allow-credentials", "True")]),
        )),
        with_credentials(simple(
            "credentials-acac-twice",
            Resp::new(
                200,
                &[
                    ECHO,
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-credentials", "true"),
                ],
            ),
        )),
        with_credentials(simple(
            "credentials-ok",
            Resp::new(200, &[ECHO, ("access-control-allow-credentials", "true")]),
        )),
        // The preflight.
        preflighted("preflight-404", "PUT", json_ct, Resp::new(404, &[]), echo()),
        preflighted("preflight-401", "PUT", json_ct, Resp::new(401, &[]), echo()),
        preflighted(
            "preflight-403-with-cors",
            "PUT",
            json_ct,
            Resp::new(
                403,
                &[
                    ECHO,
                    ("access-control-allow-methods", "PUT"),
                    ("access-control-allow-headers", "content-type"),
                ],
            ),
            echo(),
        ),
        preflighted(
            "preflight-404-with-cors",
            "PUT",
            &[],
            Resp::new(404, &[ECHO, ("access-control-allow-methods", "PUT")]),
            echo(),
        ),
        preflighted(
            "preflight-500-with-cors",
            "PUT",
            &[],
            Resp::new(500, &[ECHO, ("access-control-allow-methods", "PUT")]),
            echo(),
        ),
        preflighted(
            "preflight-redirect",
            "PUT",
            &[],
            Resp::new(
                302,
                &[
                    ECHO,
                    ("access-control-allow-methods", "PUT"),
                    ("location", "{base}/s/elsewhere"),
                ],
            ),
            echo(),
        ),
        preflighted(
            "preflight-missing-auth-token",
            "PUT",
            json_ct,
            Resp::new(403, &[]).body("{\"message\":\"Missing Authentication Token\"}"),
            echo(),
        ),
        preflighted(
            "private-api-header",
            "GET",
            &[("x-apigw-api-id", "abc123")],
            Resp::new(403, &[]),
            echo(),
        ),
        preflighted("preflight-no-acam", "PUT", &[], ok_preflight(&[]), echo()),
        preflighted(
            "preflight-acam-other",
            "DELETE",
            &[],
            ok_preflight(&[("access-control-allow-methods", "GET, POST, PUT")]),
            echo(),
        ),
        preflighted(
            "patch-lower-acam-upper",
            "patch",
            &[],
            ok_preflight(&[("access-control-allow-methods", "PATCH")]),
            echo(),
        ),
        preflighted(
            "patch-lower-acam-lower",
            "patch",
            &[],
            ok_preflight(&[("access-control-allow-methods", "patch")]),
            echo(),
        ),
        preflighted(
            "patch-upper-acam-lower",
            "PATCH",
            &[],
            ok_preflight(&[("access-control-allow-methods", "patch")]),
            echo(),
        ),
        preflighted(
            "header-not-listed",
            "GET",
            &[("x-api-key", "k")],
            ok_preflight(&[("access-control-allow-headers", "content-type")]),
            echo(),
        ),
        preflighted(
            "json-content-type-not-listed",
            "POST",
            json_ct,
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "two-headers-one-listed",
            "GET",
            &[("x-b", "1"), ("x-a", "2")],
            ok_preflight(&[("access-control-allow-headers", "x-b")]),
            echo(),
        ),
        preflighted(
            "acah-star-authorization",
            "GET",
            &[("authorization", "Bearer t")],
            ok_preflight(&[("access-control-allow-headers", "*")]),
            echo(),
        ),
        preflighted(
            "acah-star-x-header",
            "GET",
            &[("x-api-key", "k")],
            ok_preflight(&[("access-control-allow-headers", "*")]),
            echo(),
        ),
        with_credentials(preflighted(
            "acah-star-with-credentials",
            "GET",
            &[("x-api-key", "k")],
            ok_preflight(&[
                ("access-control-allow-headers", "*"),
                ("access-control-allow-credentials", "true"),
            ]),
            Resp::new(200, &[ECHO, ("access-control-allow-credentials", "true")]),
        )),
        with_credentials(preflighted(
            "acam-star-with-credentials",
            "PUT",
            &[],
            ok_preflight(&[
                ("access-control-allow-methods", "*"),
                ("access-control-allow-credentials", "true"),
            ]),
            Resp::new(200, &[ECHO, ("access-control-allow-credentials", "true")]),
        )),
        preflighted(
            "acam-star",
            "PUT",
            &[],
            ok_preflight(&[("access-control-allow-methods", "*")]),
            echo(),
        ),
        preflighted(
            "acam-unparsable",
            "PUT",
            &[],
            ok_preflight(&[("access-control-allow-methods", "PUT;GET")]),
            echo(),
        ),
        preflighted(
            "acah-unparsable",
            "GET",
            &[("x-api-key", "k")],
            ok_preflight(&[("access-control-allow-headers", "x-api-key x-b")]),
            echo(),
        ),
        preflighted(
            "actual-without-cors-after-good-preflight",
            "PUT",
            json_ct,
            ok_preflight(&[
                ("access-control-allow-methods", "PUT"),
                ("access-control-allow-headers", "content-type"),
            ]),
            Resp::new(200, &[]),
        ),
        preflighted(
            "actual-500-without-cors-after-good-preflight",
            "PUT",
            &[],
            ok_preflight(&[("access-control-allow-methods", "PUT")]),
            Resp::new(500, &[]),
        ),
        preflighted(
            "preflight-acao-mismatch",
            "PUT",
            &[],
            Resp::new(
                204,
                &[
                    ("access-control-allow-origin", "https://app.example.com"),
                    ("access-control-allow-methods", "PUT"),
                ],
            ),
            echo(),
        ),
        preflighted(
            "preflight-acao-two-lines",
            "PUT",
            &[],
            Resp::new(204, &[ECHO, ECHO, ("access-control-allow-methods", "PUT")]),
            echo(),
        ),
        preflighted(
            "preflight-acao-invalid",
            "PUT",
            &[],
            Resp::new(
                204,
                &[
                    ("access-control-allow-origin", "not an origin?"),
                    ("access-control-allow-methods", "PUT"),
                ],
            ),
            echo(),
        ),
        with_credentials(preflighted(
            "preflight-star-with-credentials",
            "PUT",
            &[],
            Resp::new(
                204,
                &[
                    ("access-control-allow-origin", "*"),
                    ("access-control-allow-credentials", "true"),
                    ("access-control-allow-methods", "PUT"),
                ],
            ),
            echo(),
        )),
        with_credentials(preflighted(
            "preflight-no-acac",
            "PUT",
            &[],
            ok_preflight(&[("access-control-allow-methods", "PUT")]),
            echo(),
        )),
        preflighted(
            "preflight-404-no-cors-bad-status-first",
            "PUT",
            &[],
            Resp::new(404, &[("access-control-allow-origin", "https://app.example.com")]),
            echo(),
        ),
        // Chromium's safelist and its value limits.
        preflighted(
            "accept-128-bytes",
            "GET",
            &[("accept", long128.as_str())],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "accept-129-bytes",
            "GET",
            &[("accept", long129.as_str())],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "content-type-text-plain-charset",
            "POST",
            &[("content-type", "text/plain;charset=UTF-8")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "accept-language-unsafe-byte",
            "GET",
            &[("accept-language", "en(gb)")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "range-simple",
            "GET",
            &[("range", "bytes=0-10")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "save-data-client-hint",
            "GET",
            &[("save-data", "on")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "device-memory-client-hint",
            "GET",
            &[("device-memory", "8")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "viewport-width-client-hint",
            "GET",
            &[("viewport-width", "1024")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted("ect-client-hint", "GET", &[("ect", "4g")], ok_preflight(&[]), echo()),
        preflighted(
            "range-reversed",
            "GET",
            &[("range", "bytes=10-0")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "range-suffix",
            "GET",
            &[("range", "bytes=-5")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "content-type-quoted-charset",
            "POST",
            &[("content-type", "text/plain; charset=\"utf-8\"")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "content-language-129-bytes",
            "GET",
            &[("content-language", &"d".repeat(129))],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted(
            "accept-unsafe-byte",
            "GET",
            &[("accept", "text/html{")],
            ok_preflight(&[]),
            echo(),
        ),
        preflighted("dpr-client-hint", "GET", &[("dpr", "2")], ok_preflight(&[]), echo()),
        preflighted(
            "safelisted-over-1024",
            "GET",
            &[
                ("accept", long128.as_str()),
                ("accept-language", &"b".repeat(128)),
                ("content-language", &"c".repeat(128)),
                ("content-type", "text/plain"),
                ("range", "bytes=0-1"),
            ],
            ok_preflight(&[("access-control-allow-headers", "accept")]),
            echo(),
        ),
        // Redirects on the actual request.
        Scenario {
            script: Script {
                actual: Resp::new(302, &[("location", "/s/{id}/next")]),
                next: echo(),
                ..Script::default()
            },
            ..simple("redirect-without-cors", Resp::default())
        },
        Scenario {
            script: Script {
                actual: Resp::new(302, &[ECHO, ("location", "/s/{id}/next")]),
                next: echo(),
                ..Script::default()
            },
            ..simple("redirect-same-origin-ok", Resp::default())
        },
        Scenario {
            script: Script {
                actual: Resp::new(307, &[ECHO, ("location", "{alt}/s/{id}/next")]),
                next: echo(),
                ..Script::default()
            },
            ..simple("redirect-cross-origin-echo-null", Resp::default())
        },
        Scenario {
            script: Script {
                actual: Resp::new(307, &[ECHO, ("location", "{alt}/s/{id}/next")]),
                next: Resp::new(200, &[("access-control-allow-origin", "{page}")]),
                ..Script::default()
            },
            ..simple("redirect-cross-origin-page-origin", Resp::default())
        },
        Scenario {
            script: Script {
                actual: Resp::new(302, &[ECHO, ("location", "http://user:pw@127.0.0.1:1/x")]),
                ..Script::default()
            },
            ..simple("redirect-with-credentials", Resp::default())
        },
        Scenario {
            script: Script {
                actual: Resp::new(302, &[ECHO, ("location", "ftp://127.0.0.1/x")]),
                ..Script::default()
            },
            ..simple("redirect-ftp", Resp::default())
        },
        preflighted(
            "acao-padded",
            "GET",
            &[],
            Resp::default(),
            Resp::new(200, &[("access-control-allow-origin", "  {origin}  ")]),
        ),
    ];
    for target in [Target::Tower, Target::Actix] {
        list.extend([
            adapter("corsair-get", target, "GET", &[], false),
            adapter("corsair-put-json", target, "PUT", json_ct, false),
            adapter("corsair-credentials", target, "POST", &[("x-api-key", "k")], true),
            adapter(
                "corsair-authorization",
                target,
                "GET",
                &[("authorization", "Bearer t")],
                true,
            ),
            adapter("corsair-delete-not-allowed", target, "DELETE", &[], false),
            adapter("corsair-header-not-allowed", target, "GET", &[("x-other", "1")], false),
            adapter("corsair-patch-lower", target, "patch", &[], false),
            from_other_page(adapter("corsair-origin-not-allowed", target, "GET", &[], false)),
            from_other_page(adapter(
                "corsair-origin-not-allowed-preflight",
                target,
                "PUT",
                json_ct,
                false,
            )),
        ]);
    }
    list
}
