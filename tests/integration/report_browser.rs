//! The report in a real browser: Chromium driven through chromedriver (WebDriver, with
//! fantoccini). Skipped, visibly, when chromedriver is not on PATH, unless
//! FISSURE_REQUIRE_TOOLS=1 (CI), which makes a missing driver a failure.
//!
//! Screenshots of the map and the matrix are written to the test output folder
//! (`target/tmp/report-*.png`) for a person to look at.

use std::io::Write as _;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use super::report::{HOSTILE, hostile_page, page_data, report};

/// One Chromium at a time: the machines running the tests have few cores.
static BROWSER: Mutex<()> = Mutex::new(());

/// chromedriver on PATH, or a visible skip (a failure under FISSURE_REQUIRE_TOOLS=1).
fn chromedriver() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("chromedriver"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("FISSURE_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "FISSURE_REQUIRE_TOOLS=1 but `chromedriver` is not on PATH \
             (apt-get install chromium chromium-driver)"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: `chromedriver` is not on PATH; `apt-get install chromium chromium-driver` to run this test"
        );
    }
    found
}

/// A chromedriver process and a headless Chromium session; both end when it drops.
struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
}

impl Browser {
    fn start(driver: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let mut browser = Browser {
            runtime,
            client: None,
            driver,
        };
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match browser.runtime.block_on(connect(&url)) {
                Ok(client) => break client,
                Err(e) if started.elapsed() > Duration::from_secs(30) => {
                    panic!("no WebDriver session from chromedriver: {e}")
                }
                Err(_) => std::thread::sleep(Duration::from_millis(200)),
            }
        };
        browser.client = Some(client);
        browser
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    fn run<T>(&self, f: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(f)
    }

    /// Opens a page from disk and waits until its script has run.
    fn open(&self, page: &Path) {
        let url = format!("file://{}", page.display());
        self.run(self.client().goto(&url)).expect("open the page");
        let started = Instant::now();
        while self.js("return document.documentElement.dataset.ready || ''") != json!("1") {
            let errors = self.console_errors();
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "the page's script did not finish: {errors:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn js(&self, script: &str) -> Value {
        self.run(self.client().execute(script, vec![]))
            .unwrap_or_else(|e| panic!("run {script}: {e}"))
    }

    fn text(&self, css: &str) -> String {
        self.run(async {
            let el = self.client().find(Locator::Css(css)).await?;
            el.text().await
        })
        .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    fn click(&self, css: &str) {
        self.run(async { self.client().find(Locator::Css(css)).await?.click().await })
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// The browser console's errors since the last call (chromedriver's log endpoint).
    fn console_errors(&self) -> Vec<String> {
        let log = self
            .run(self.client().issue_cmd(BrowserLog))
            .expect("the browser log");
        (log.as_array().into_iter().flatten())
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// A PNG of one element, written to the test output folder.
    fn screenshot(&self, css: &str, name: &str) -> PathBuf {
        let png = self
            .run(async {
                self.client()
                    .find(Locator::Css(css))
                    .await?
                    .screenshot()
                    .await
            })
            .unwrap_or_else(|e| panic!("screenshot of {css}: {e}"));
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
        std::fs::write(&path, png).expect("write the screenshot");
        let _ = writeln!(std::io::stderr(), "screenshot: {}", path.display());
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn connect(url: &str) -> Result<Client, fantoccini::error::NewSessionError> {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--window-size=1400,2400",
                        "--hide-scrollbars", "--force-device-scale-factor=1"]}),
    );
    caps.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(url)
        .await
}

/// chromedriver's `POST /session/{id}/se/log` for the browser console.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The shop's report with its spec, in a temporary folder (kept while the value lives).
fn shop_page() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.html");
    report(
        &["fixtures/shop", "--spec", "fixtures/shop/fissure.yaml"],
        &out,
    );
    (dir, out)
}

/// Opens the page `make` writes in Chromium (one browser at a time) and runs `check` on it;
/// a visible skip without chromedriver.
fn in_browser<K>(make: impl FnOnce() -> (K, PathBuf), check: impl FnOnce(&Browser, &Path)) {
    let Some(driver) = chromedriver() else { return };
    let _turn = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let (_keep, page) = make();
    let browser = Browser::start(&driver);
    browser.open(&page);
    check(&browser, &page);
}

#[test]
fn the_shop_page_loads_with_no_console_error_and_no_request() {
    in_browser(shop_page, |browser, _| {
        assert_eq!(browser.console_errors(), Vec::<String>::new());
        let fetched =
            browser.js("return performance.getEntriesByType('resource').map(e => e.name)");
        assert_eq!(fetched, json!([]), "the page fetched something");
        browser.screenshot("#map", "report-map.png");
        // Hover the heaviest crossing cell of the matrix: its references show.
        let tip = browser.js(
            "const c = [...document.querySelectorAll('#matrix-svg .cell.cross')].pop();
         c.scrollIntoView({block: 'center'});
         const s = c.getBoundingClientRect();
         document.getElementById('matrix-svg').dispatchEvent(new MouseEvent('mousemove',
           {clientX: s.left + s.width / 2, clientY: s.top + s.height / 2, bubbles: true}));
         const tip = document.getElementById('matrix-tip');
         return tip.hidden ? '' : tip.textContent;",
        );
        let tip = tip.as_str().unwrap_or_default().to_owned();
        assert!(
            tip.contains(" → ") && tip.contains(".rs:"),
            "the tip: {tip:?}"
        );
        browser.screenshot("#matrix", "report-matrix.png");
        assert_eq!(browser.console_errors(), Vec::<String>::new());
    });
}

#[test]
fn clicking_a_domain_lists_the_references_crossing_out_and_in() {
    in_browser(shop_page, |browser, page| {
        let data = page_data(&std::fs::read_to_string(page).unwrap());
        let orders = (data["domains"].as_array().unwrap().iter())
            .position(|d| d["name"] == "orders")
            .expect("an orders domain");
        let crossing = (data["crossings"].as_array().unwrap().iter())
            .find(|c| c["from"] == orders)
            .expect("orders calls out");
        assert!(!browser.text("#domain-panel").contains("crossing out"));
        browser.click(&format!("#map-svg .domain[data-domain=\"{orders}\"]"));
        let panel = browser.text("#domain-panel");
        assert!(panel.starts_with("orders"), "{panel}");
        let at = format!(
            "{}:{}",
            crossing["file"].as_str().unwrap(),
            crossing["line"]
        );
        assert!(panel.contains("References crossing out ("), "{panel}");
        assert!(
            panel.contains(&at),
            "the panel lacks the crossing at {at}:\n{panel}"
        );
        let selected =
            browser.js("return document.querySelectorAll('#map-svg .domain.selected').length");
        assert_eq!(selected, json!(1));
        browser.screenshot("#map", "report-map-orders.png");
    });
}

#[test]
fn the_rule_filter_narrows_the_findings() {
    in_browser(shop_page, |browser, _| {
        let count = |b: &Browser| {
            b.js("return document.querySelectorAll('#findings-list .finding').length")
        };
        let all = count(browser).as_u64().unwrap();
        assert!(all > 1, "{all} findings");
        browser
            .run(async {
                let select = browser.client().find(Locator::Css("#filter-rule")).await?;
                select.select_by_value("foreign-table-access").await
            })
            .expect("choose a rule");
        let shown = count(browser).as_u64().unwrap();
        assert!(0 < shown && shown < all, "{shown} of {all} after filtering");
        let rules = browser.js(
            "return [...document.querySelectorAll('#findings-list .rule')].map(e => e.textContent)",
        );
        assert!(
            (rules.as_array().unwrap().iter()).all(|r| r == "foreign-table-access"),
            "{rules}"
        );
        assert_eq!(
            browser.text("#findings-count"),
            format!("{shown} of {all} findings")
        );
    });
}

#[test]
fn the_search_finds_a_module_and_shows_it_in_its_domain() {
    in_browser(shop_page, |browser, _| {
        browser
            .run(async {
                let input = browser.client().find(Locator::Css("#search")).await?;
                input.send_keys("billing::tax::eu").await
            })
            .expect("type into the search box");
        let results = browser.text("#search-results");
        assert!(results.contains("shop::billing::tax::eu"), "{results}");
        browser.click("#search-results li");
        let hit = browser.text("#domain-panel tr.hit");
        assert!(hit.contains("shop::billing::tax::eu"), "{hit}");
        assert!(browser.text("#domain-panel").starts_with("billing"));
    });
}

#[test]
fn a_hostile_name_is_shown_as_text_and_never_run() {
    in_browser(hostile_page, |browser, _| {
        let alert = browser.run(browser.client().get_alert_text());
        assert!(alert.is_err(), "an alert opened: {alert:?}");
        assert_eq!(browser.console_errors(), Vec::<String>::new());
        assert_eq!(browser.js("return document.scripts.length"), json!(2));
        let snippets = browser.text("#findings-list");
        assert!(snippets.contains(HOSTILE), "{snippets}");
        browser
            .run(async {
                let input = browser.client().find(Locator::Css("#search")).await?;
                input.send_keys("alert(1)").await
            })
            .expect("type into the search box");
        let found = browser.text("#search-results");
        assert!(found.contains(&format!("src/{HOSTILE}.rs")), "{found}");
    });
}
