//! The HTML report (`fissure report`): one self-contained page of the monolith's fault lines.
//! [`from_analysis`] and [`from_check`] build the [`Page`]; [`render`] writes it: the layout
//! computed here ([`layout`]), the drawings as inline SVG ([`svg`]), the page's data as one
//! JSON blob, and a small hand-written script and style sheet embedded at build time.
//!
//! Nothing leaves the file: the Content-Security-Policy allows no source but the page's own
//! script and style, named by their hashes. Every string from the analysed code is escaped:
//! in markup by [`escape`], in the JSON blob by [`json_for_script`].

mod from_analysis;
mod from_check;
mod layout;
mod page;
mod svg;

pub use from_analysis::{KERNEL, from_analysis};
pub use from_check::with_check;
pub use page::*;

use std::fmt::Write;

use base64::Engine;
use sha2::{Digest, Sha256};

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The page as one HTML document; the same page gives the same bytes.
pub fn render(page: &Page) -> String {
    let sizes: Vec<u64> = (page.domains.iter())
        .filter(|d| !d.kernel)
        .map(|d| d.lines)
        .collect();
    let map = layout::map_layout(&sizes);
    let data = serde_json::to_string(page).expect("the page serialises");
    let csp = format!(
        "default-src 'none'; style-src {}; script-src {}; img-src data:",
        hash(STYLE),
        hash(SCRIPT)
    );
    let title = format!("fissure report: {}", page.root);
    let mut s = String::new();
    let _ = write!(
        s,
        concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<title>{title}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        ),
        csp = csp,
        title = escape(&title),
        style = STYLE
    );
    header(&mut s, page);
    let _ = write!(
        s,
        concat!(
            "<main>\n<section id=\"map\"><h2>Domain map</h2>\n",
            "<p class=\"hint\">Regions are sized by lines of code; arrows count the references ",
            "that cross from one domain into another (red: inside a cycle). Click a domain.{hidden}</p>\n",
            "<div class=\"map-wrap\">{map}</div>\n<div id=\"domain-panel\" class=\"panel\"></div>\n</section>\n",
            "<section id=\"matrix\"><h2>Dependency matrix</h2>\n",
            "<p class=\"hint\">Rows use columns. Modules are ordered by domain; squares on the ",
            "diagonal are domains; orange cells cross a boundary, grey ones reach the shared ",
            "kernel, red ones are in a module cycle. ",
            "Hover a cell for its references.</p>\n",
            "<div class=\"matrix-wrap\">{matrix}</div>\n<div id=\"matrix-tip\" class=\"tip\" hidden></div>\n</section>\n",
            "<section id=\"events\"><h2>Events</h2><div id=\"events-body\"></div></section>\n",
            "<section id=\"findings\"><h2>Findings</h2><div id=\"findings-body\"></div></section>\n",
            "</main>\n"
        ),
        map = svg::domain_map(page, &map),
        hidden = match page.links.len().saturating_sub(svg::SHOWN_ARROWS) {
            0 => String::new(),
            more => format!(
                " The {} heaviest arrows are drawn; {more} lighter ones show with their domain.",
                svg::SHOWN_ARROWS
            ),
        },
        matrix = svg::matrix(page)
    );
    let _ = write!(
        s,
        "<script type=\"application/json\" id=\"fissure-data\">{}</script>\n<script>{}</script>\n</body>\n</html>\n",
        json_for_script(&data),
        SCRIPT
    );
    s
}

/// The title, the figures and the search box.
fn header(s: &mut String, page: &Page) {
    let st = &page.stats;
    let domains = page.domains.len() - 1;
    let spec = match &page.spec {
        Some(spec) => format!(" · checked against {}", escape(spec)),
        None => " · suggested split".to_owned(),
    };
    let _ = write!(
        s,
        concat!(
            "<header>\n<h1>fissure report: <span class=\"root\">{root}</span></h1>\n",
            "<p class=\"figures\">{crates} crates · {modules} modules · {files} files · ",
            "{lines} lines · {items} items · {domains} domains{spec}</p>\n",
            "<nav><a href=\"#map\">Map</a> <a href=\"#matrix\">Matrix</a> ",
            "<a href=\"#events\">Events</a> <a href=\"#findings\">Findings</a></nav>\n",
            "<div class=\"search\"><input id=\"search\" type=\"search\" ",
            "placeholder=\"Find a module, item or file\" autocomplete=\"off\" ",
            "aria-label=\"search\"><ol id=\"search-results\"></ol></div>\n</header>\n"
        ),
        root = escape(&page.root),
        crates = st.crates,
        modules = st.modules,
        files = st.files,
        lines = st.lines,
        items = st.items,
        domains = domains,
        spec = spec
    );
}

/// Text safe in HTML content and in quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON safe inside `<script>`: no `<`, `>` or `&` can end the element or open a comment
/// (all only ever occur inside JSON strings, where `\u003c` means the same).
pub fn json_for_script(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A CSP source naming an inline element by the SHA-256 of its text.
fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_cannot_open_an_element_or_leave_an_attribute() {
        let hostile = r#"</script><script>alert("x")</script>' onload='y"#;
        let escaped = escape(hostile);
        assert!(!escaped.contains(['<', '>', '"', '\'']), "{escaped}");
        assert_eq!(
            escaped,
            "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onload=&#39;y"
        );
    }

    #[test]
    fn json_in_a_script_cannot_close_it_and_parses_to_the_same_value() {
        let value = serde_json::json!({"name": "</script><!-- & -->"});
        let safe = json_for_script(&value.to_string());
        assert!(!safe.contains(['<', '>', '&']), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn the_hash_is_the_base64_sha256_csp_wants() {
        // `echo -n alert(1) | openssl dgst -sha256 -binary | base64`
        assert_eq!(
            hash("alert(1)"),
            "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
        );
    }
}
