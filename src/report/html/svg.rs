//! The two drawings, as inline SVG: the domain map and the module matrix. Every string
//! from the analysed code goes through [`escape`]; numbers are written with fixed
//! precision so the bytes do not depend on the platform.

use std::fmt::Write;

use super::escape;
use super::layout::{MapLayout, Rect, arrow};
use super::page::Page;

/// Rounded to one decimal, the precision of every coordinate.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Arrows drawn before a domain is selected: the heaviest. A large monolith's domains are
/// often all tied to each other, and two hundred arrows are a hairball.
pub const SHOWN_ARROWS: usize = 40;

/// The domain map: one box per domain (name, size, confidence), the kernel below, arrows
/// weighted by crossing references, red inside a cycle.
pub fn domain_map(page: &Page, layout: &MapLayout) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="map-svg" viewBox="0 0 {} {}" role="img" aria-label="domain map">"#,
        n(layout.width),
        n(layout.height)
    );
    s += concat!(
        r#"<defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" class="head"/></marker>"#,
        r#"<marker id="head-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" class="head cycle"/></marker></defs>"#
    );
    arrows(&mut s, page, layout);
    let kernel = page.domains.len() - 1;
    for (i, d) in page.domains.iter().enumerate() {
        let rect = if i == kernel {
            &layout.kernel
        } else {
            &layout.boxes[i]
        };
        let details = if i == kernel {
            vec![format!("{} modules · {} lines", d.modules.len(), d.lines)]
        } else if d.modules.is_empty() {
            vec![
                format!("{} items", d.items),
                "no module of its own".to_owned(),
            ]
        } else {
            let confidence = match d.items {
                0 => "no clustered items".to_owned(),
                _ => format!("confidence {:.0}%", d.confidence * 100.0),
            };
            vec![
                format!("{} modules · {} lines", d.modules.len(), d.lines),
                confidence,
            ]
        };
        domain_box(&mut s, i, &d.name, &details, rect, i == kernel);
    }
    s += "</svg>";
    s
}

/// The arrows between domains, heaviest first in the reader's eye: beyond
/// [`SHOWN_ARROWS`] they are `minor`, drawn only with a selected domain.
fn arrows(s: &mut String, page: &Page, layout: &MapLayout) {
    let heaviest = page
        .links
        .iter()
        .map(|l| l.weight)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let mut by_weight: Vec<usize> = (0..page.links.len()).collect();
    by_weight.sort_by_key(|&i| std::cmp::Reverse(page.links[i].weight));
    let mut minor = vec![false; page.links.len()];
    for &i in by_weight.iter().skip(SHOWN_ARROWS) {
        minor[i] = true;
    }
    for (i, link) in page.links.iter().enumerate() {
        let (Some(a), Some(b)) = (layout.boxes.get(link.from), layout.boxes.get(link.to)) else {
            continue;
        };
        let (x1, y1, x2, y2) = arrow(a, b, 5.0);
        let width = 1.0 + 5.0 * (link.weight as f64 / heaviest).sqrt();
        let (class, head) = if link.cycle {
            ("link cycle", "head-cycle")
        } else {
            ("link", "head")
        };
        let class = if minor[i] {
            format!("{class} minor")
        } else {
            class.to_owned()
        };
        let name = |d: usize| escape(&page.domains[d].name);
        let _ = write!(
            s,
            r#"<g class="{class}" data-link="{i}" data-from="{}" data-to="{}"><title>{} → {}: {} references{}</title><line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}" marker-end="url(#{head})"/><text x="{}" y="{}">{}</text></g>"#,
            link.from,
            link.to,
            name(link.from),
            name(link.to),
            link.weight,
            if link.cycle { " (in a cycle)" } else { "" },
            n(x1),
            n(y1),
            n(x2),
            n(y2),
            n(width),
            n(x1 + (x2 - x1) * 0.5),
            n(y1 + (y2 - y1) * 0.5 - 3.0),
            link.weight
        );
    }
}

/// One clickable region: a rounded box with the name and a line or two of figures.
fn domain_box(s: &mut String, i: usize, name: &str, details: &[String], r: &Rect, kernel: bool) {
    let class = if kernel { "domain kernel" } else { "domain" };
    // About 8 units per character at the name's size: longer names are cut, the title has all.
    let fits = ((r.w - 12.0) / 8.0).max(4.0) as usize;
    let (cx, cy) = r.center();
    let top = cy - 7.0 * details.len() as f64;
    let _ = write!(
        s,
        r#"<g class="{class}" data-domain="{i}" tabindex="0" role="button"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" rx="8"/><text class="name" x="{}" y="{}">{}</text>"#,
        escape(name),
        n(r.x),
        n(r.y),
        n(r.w),
        n(r.h),
        n(cx),
        n(top),
        escape(&shorten(name, fits)),
    );
    for (k, line) in details.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text class="detail" x="{}" y="{}">{}</text>"#,
            n(cx),
            n(top + 16.0 + 14.0 * k as f64),
            escape(line)
        );
    }
    s.push_str("</g>");
}

/// Sizes of the matrix: a cell's side, the margin left of it for the domain names and the
/// one above it.
struct MatrixGeometry {
    cell: f64,
    left: f64,
    top: f64,
}

fn matrix_geometry(modules: usize) -> MatrixGeometry {
    MatrixGeometry {
        cell: (1200.0 / modules.max(1) as f64).floor().clamp(4.0, 16.0),
        left: 160.0,
        top: 8.0,
    }
}

/// The dependency matrix: rows use columns, modules in domain order, a square per domain on
/// the diagonal; cells shaded by weight, crossings orange, cycles red. The script shows a
/// cell's examples on hover, from the data.
pub fn matrix(page: &Page) -> String {
    let count = page.modules.len();
    let g = matrix_geometry(count);
    let side = g.cell * count as f64;
    let mut s = String::new();
    let (width, height) = (n(g.left + side + 8.0), n(g.top + side + 8.0));
    let _ = write!(
        s,
        r#"<svg id="matrix-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" data-cell="{}" data-left="{}" data-top="{}" data-count="{count}" role="img" aria-label="dependency matrix">"#,
        n(g.cell),
        n(g.left),
        n(g.top)
    );
    let x = |i: usize| g.left + g.cell * i as f64;
    let y = |i: usize| g.top + g.cell * i as f64;
    for (d, domain) in page.domains.iter().enumerate() {
        let (Some(&first), Some(&last)) = (domain.modules.first(), domain.modules.last()) else {
            continue;
        };
        let size = g.cell * (last - first + 1) as f64;
        let class = if domain.kernel {
            "block kernel"
        } else {
            "block"
        };
        let _ = write!(
            s,
            r#"<rect class="{class}" data-domain="{d}" x="{}" y="{}" width="{}" height="{}"/>"#,
            n(x(first)),
            n(y(first)),
            n(size),
            n(size)
        );
        if size >= 9.0 {
            let _ = write!(
                s,
                r#"<text class="row-label" x="{}" y="{}">{}</text>"#,
                n(g.left - 6.0),
                n(y(first) + size / 2.0 + 4.0),
                escape(&shorten(&domain.name, 22))
            );
        }
    }
    let heaviest = page
        .cells
        .iter()
        .map(|c| c.weight)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    for c in &page.cells {
        let class = match (c.cycle, c.cross, c.shared) {
            (true, _, _) => "cell cycle",
            (false, true, _) => "cell cross",
            (false, false, true) => "cell shared",
            (false, false, false) => "cell",
        };
        let shade = 0.25 + 0.75 * ((c.weight as f64).ln_1p() / heaviest.ln_1p());
        let _ = write!(
            s,
            r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" fill-opacity="{:.2}"/>"#,
            n(x(c.to)),
            n(y(c.from)),
            n(g.cell),
            n(g.cell),
            shade
        );
    }
    s += "</svg>";
    s
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        return name.to_owned();
    }
    name.chars().take(max - 1).chain(['…']).collect()
}
