// Runs the scenarios one after another (order matters for the preflight cache),
// then POSTs what the page could observe back to its own origin.
// `RUN` is injected by the harness (tests/browser/mod.rs): the run id, the
// scenarios, the per-fetch time limit, where to report, and the console markers.
"use strict";

const RUN = /*RUN*/;

async function runScenario(s) {
  const out = { name: s.name, readable: false, status: null, headers: {}, error: null };
  // Real-time limit per fetch, so one hung request cannot swallow the report.
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), RUN.fetch_timeout_ms);
  try {
    const init = {
      method: s.method,
      headers: new Headers(s.headers),
      credentials: s.credentials,
      cache: s.cache,
      mode: "cors",
      signal: abort.signal,
    };
    if (s.body !== null) init.body = s.body;
    const res = await fetch(s.url, init);
    out.readable = true;
    out.status = res.status;
    for (const name of s.read_headers) out.headers[name] = res.headers.get(name);
    await res.arrayBuffer();
  } catch (e) {
    // To the page a CORS failure and a network failure are the same
    // TypeError ("Failed to fetch", "NetworkError when attempting to fetch
    // resource."); Chromium's console messages between the markers tell them
    // apart, and WebKit's message names the reason itself.
    out.error = `${e.name}: ${e.message}`;
  } finally {
    clearTimeout(timer);
  }
  return out;
}

(async () => {
  let report;
  try {
    const results = [];
    for (const [i, s] of RUN.scenarios.entries()) {
      console.info(RUN.markers.begin + RUN.id + " " + i);
      results.push(await runScenario(s));
      console.info(RUN.markers.end + RUN.id + " " + i);
    }
    report = { origin: location.origin, results };
  } catch (e) {
    report = { origin: location.origin, fatal: String(e) };
  }
  console.info(RUN.markers.done + RUN.id);
  // Same origin as the page: no CORS on the way back.
  await fetch(RUN.report_path, { method: "POST", body: JSON.stringify(report), cache: "no-store" });
})();
