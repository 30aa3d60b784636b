//! Firefox ESR: one headless process per batch of pages, one tab each, with a
//! fresh profile whose `user.js` keeps it from phoning home.

use std::io;
use std::path::{Path, PathBuf};

use super::process::{self, Group, TempProfile};

/// Debian's binary (`/usr/bin/firefox-esr` is a symbolic link to it).
pub(crate) const DEBIAN_BINARY: &str = "/usr/lib/firefox-esr/firefox-esr";

/// `$FIREFOX_BIN`, else Debian's binary, else `firefox-esr` or `firefox` on `PATH`.
pub(crate) fn find_binary() -> Option<PathBuf> {
    process::find(
        "FIREFOX_BIN",
        &[PathBuf::from(DEBIAN_BINARY)],
        &["firefox-esr", "firefox"],
    )
}

/// `Mozilla Firefox 153.8.0esr`.
pub(crate) fn version(binary: &Path) -> String {
    process::first_line(binary, &["--version"]).unwrap_or_else(|| "Firefox (version unknown)".to_owned())
}

/// The profile's preferences. Nothing here changes how Firefox does CORS: the
/// suite tests what users meet, so `network.cors_preflight.*` keep their
/// defaults. `localhost` and every `*.localhost` resolve to loopback in
/// Firefox itself (`network.dns.native-is-localhost`, on by default), so no
/// `network.dns.localDomains` entry is needed; no proxy is used, so none can
/// hijack loopback.
const USER_JS: &str = r#"// Console API messages (the page's markers) on stdout.
user_pref("devtools.console.stdout.content", true);
// No proxy: loopback is reached directly.
user_pref("network.proxy.type", 0);
user_pref("network.proxy.allow_hijacking_localhost", false);
user_pref("network.dns.native-is-localhost", true);
// A quiet first run: no welcome page, no default-browser check, no session restore.
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("browser.startup.page", 0);
user_pref("startup.homepage_welcome_url", "");
user_pref("startup.homepage_welcome_url.additional", "");
user_pref("browser.aboutwelcome.enabled", false);
user_pref("browser.sessionstore.resume_from_crash", false);
user_pref("browser.warnOnQuit", false);
user_pref("toolkit.startup.max_resumed_crashes", -1);
// Nothing phones home: telemetry, studies, updates, remote settings, safe
// browsing, captive-portal and connectivity probes, DNS over HTTPS, prefetching.
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("toolkit.telemetry.archive.enabled", false);
user_pref("toolkit.telemetry.server", "data:,");
user_pref("toolkit.telemetry.reportingpolicy.firstRun", false);
user_pref("app.normandy.enabled", false);
user_pref("app.normandy.api_url", "");
user_pref("app.shield.optoutstudies.enabled", false);
user_pref("app.update.auto", false);
user_pref("app.update.disabledForTesting", true);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("extensions.systemAddon.update.enabled", false);
user_pref("extensions.blocklist.enabled", false);
// Remote settings and Glean pings go nowhere (as in Mozilla's own test
// profiles; the server pref needs MOZ_REMOTE_SETTINGS_DEVTOOLS, set by `launch`).
user_pref("services.settings.server", "data:,#remote-settings-dummy/v1");
user_pref("telemetry.fog.test.localhost_port", -1);
user_pref("toolkit.telemetry.shutdownPingSender.enabled", false);
user_pref("toolkit.telemetry.firstShutdownPing.enabled", false);
user_pref("toolkit.telemetry.newProfilePing.enabled", false);
user_pref("toolkit.telemetry.updatePing.enabled", false);
user_pref("datareporting.usage.uploadEnabled", false);
// No push service, no sponsored tiles or ads.
user_pref("dom.push.connection.enabled", false);
user_pref("dom.push.serverURL", "");
user_pref("browser.newtabpage.activity-stream.showSponsored", false);
user_pref("browser.newtabpage.activity-stream.showSponsoredTopSites", false);
user_pref("browser.newtabpage.activity-stream.feeds.topsites", false);
user_pref("browser.topsites.contile.enabled", false);
user_pref("browser.urlbar.quicksuggest.enabled", false);
user_pref("geo.provider.network.url", "");
user_pref("captivedetect.canonicalURL", "");
user_pref("browser.region.network.url", "");
user_pref("browser.region.update.enabled", false);
user_pref("browser.search.update", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.blockedURIs.enabled", false);
user_pref("browser.safebrowsing.provider.mozilla.updateURL", "");
user_pref("browser.safebrowsing.provider.google4.updateURL", "");
user_pref("browser.newtabpage.enabled", false);
user_pref("browser.newtabpage.activity-stream.feeds.system.topstories", false);
user_pref("browser.newtabpage.activity-stream.feeds.telemetry", false);
user_pref("browser.newtabpage.activity-stream.telemetry", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.trr.mode", 5);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("network.predictor.enabled", false);
user_pref("network.http.speculative-parallel-limit", 0);
user_pref("security.OCSP.enabled", 0);
user_pref("security.remote_settings.crlite_filters.enabled", false);
user_pref("media.gmp-manager.url", "");
user_pref("identity.fxaccounts.enabled", false);
user_pref("extensions.pocket.enabled", false);
// One content process: the pages share it, and start-up stays cheap.
user_pref("dom.ipc.processCount", 1);
"#;

/// Starts `binary` headless with a fresh profile, one tab per URL.
pub(crate) fn launch(binary: &Path, urls: &[String]) -> io::Result<Group> {
    let profile = TempProfile::new()?;
    let dir = profile.path().join("profile");
    std::fs::create_dir(&dir)?;
    std::fs::write(dir.join("user.js"), USER_JS)?;
    let mut args = vec![
        "--headless".to_owned(),
        "--no-remote".to_owned(),
        "--profile".to_owned(),
        dir.display().to_string(),
    ];
    args.extend(urls.iter().cloned());
    let envs = [
        ("MOZ_CRASHREPORTER_DISABLE", "1"),
        // Release builds honour `services.settings.server` only with this set.
        ("MOZ_REMOTE_SETTINGS_DEVTOOLS", "1"),
    ];
    Group::spawn(binary, args, &envs, profile)
}

/// The message of a console line Firefox printed with
/// `devtools.console.stdout.content`: `console.info: "message"`.
pub(crate) fn console_message(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("console.")?;
    let (_, rest) = rest.split_once(": \"")?;
    rest.strip_suffix('"')
}
