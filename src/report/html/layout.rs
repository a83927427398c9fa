//! Where the domain map puts things, computed here rather than in the browser so the same
//! input gives the same page: domains on an ellipse in index order, each a box whose area
//! grows with its lines of code, the shared kernel a band apart below them, and arrows
//! between box borders.

use std::f64::consts::{FRAC_PI_2, TAU};

/// A box on the map, in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// Where the ray from the centre towards `(dx, dy)` leaves the box.
    fn exit(&self, dx: f64, dy: f64) -> (f64, f64) {
        let (cx, cy) = self.center();
        let tx = if dx == 0.0 {
            f64::INFINITY
        } else {
            self.w / 2.0 / dx.abs()
        };
        let ty = if dy == 0.0 {
            f64::INFINITY
        } else {
            self.h / 2.0 / dy.abs()
        };
        let t = tx.min(ty);
        (cx + dx * t, cy + dy * t)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MapLayout {
    pub width: f64,
    pub height: f64,
    /// One box per domain, in index order.
    pub boxes: Vec<Rect>,
    pub kernel: Rect,
}

const MARGIN: f64 = 20.0;
const GAP: f64 = 16.0;
const KERNEL_HEIGHT: f64 = 70.0;

/// Boxes for domains of `lines` lines each, clockwise around an ellipse from the top; the
/// kernel a band below. The ellipse starts at a size that suits a laptop screen and grows
/// until no two boxes touch, so many domains give a larger (scaled down) drawing rather
/// than a pile.
pub fn map_layout(lines: &[u64]) -> MapLayout {
    let n = lines.len();
    let largest = lines.iter().copied().max().unwrap_or(1).max(1) as f64;
    let widest = if n <= 8 { 240.0 } else { 180.0 };
    let sizes: Vec<(f64, f64)> = (lines.iter())
        .map(|&l| {
            let w = 130.0 + (widest - 130.0) * (l as f64 / largest).sqrt();
            (w, (w * 0.42).max(62.0))
        })
        .collect();
    let tallest = sizes.iter().map(|s| s.1).fold(62.0, f64::max);
    let (mut rx, mut ry) = (380.0, 230.0);
    let boxes = loop {
        let boxes = ring(&sizes, rx, ry, widest);
        if n > 40 || no_two_touch(&boxes) {
            break boxes;
        }
        (rx, ry) = (rx * 1.06, ry * 1.06);
    };
    let width = 2.0 * (rx + widest / 2.0 + MARGIN);
    let kernel_y = 2.0 * (ry + tallest / 2.0 + MARGIN) + GAP;
    MapLayout {
        width,
        height: kernel_y + KERNEL_HEIGHT + MARGIN,
        boxes,
        kernel: Rect {
            x: MARGIN * 2.0,
            y: kernel_y,
            w: width - MARGIN * 4.0,
            h: KERNEL_HEIGHT,
        },
    }
}

/// The boxes of `sizes` around an ellipse of radii `rx`, `ry` centred in the drawing.
fn ring(sizes: &[(f64, f64)], rx: f64, ry: f64, widest: f64) -> Vec<Rect> {
    let n = sizes.len();
    let tallest = sizes.iter().map(|s| s.1).fold(62.0, f64::max);
    let (cx, cy) = (rx + widest / 2.0 + MARGIN, ry + tallest / 2.0 + MARGIN);
    (sizes.iter().enumerate())
        .map(|(i, &(w, h))| {
            let (x, y) = if n == 1 {
                (cx, cy)
            } else {
                let angle = -FRAC_PI_2 + TAU * i as f64 / n as f64;
                (cx + rx * angle.cos(), cy + ry * angle.sin())
            };
            Rect {
                x: x - w / 2.0,
                y: y - h / 2.0,
                w,
                h,
            }
        })
        .collect()
}

fn no_two_touch(boxes: &[Rect]) -> bool {
    let apart = |a: &Rect, b: &Rect| {
        a.x + a.w + GAP <= b.x
            || b.x + b.w + GAP <= a.x
            || a.y + a.h + GAP <= b.y
            || b.y + b.h + GAP <= a.y
    };
    (boxes.iter().enumerate()).all(|(i, a)| boxes[i + 1..].iter().all(|b| apart(a, b)))
}

/// An arrow from box `a` to box `b`, moved sideways by `offset` so the arrow back does not
/// cover it: `(x1, y1, x2, y2)`.
pub fn arrow(a: &Rect, b: &Rect, offset: f64) -> (f64, f64, f64, f64) {
    let ((ax, ay), (bx, by)) = (a.center(), b.center());
    let (dx, dy) = (bx - ax, by - ay);
    let len = (dx * dx + dy * dy).sqrt().max(1e-9);
    let (ux, uy) = (dx / len, dy / len);
    // The normal to the right of the direction of travel.
    let (nx, ny) = (-uy * offset, ux * offset);
    let (sx, sy) = a.exit(ux, uy);
    let (ex, ey) = b.exit(-ux, -uy);
    (sx + nx, sy + ny, ex + nx, ey + ny)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
    }

    #[test]
    fn boxes_do_not_overlap_each_other_or_the_kernel() {
        for n in [1, 2, 3, 5, 8, 12, 21, 30, 40] {
            let lines: Vec<u64> = (0..n).map(|i| 100 + 900 * (i % 3)).collect();
            let layout = map_layout(&lines);
            for (i, a) in layout.boxes.iter().enumerate() {
                assert!(
                    !overlap(a, &layout.kernel),
                    "{n} domains: box {i} on the kernel"
                );
                assert!(
                    a.x >= 0.0 && a.x + a.w <= layout.width,
                    "{n}: box {i} off the map"
                );
                for (j, b) in layout.boxes.iter().enumerate().skip(i + 1) {
                    assert!(!overlap(a, b), "{n} domains: boxes {i} and {j} overlap");
                }
            }
        }
    }

    #[test]
    fn a_bigger_domain_gets_a_bigger_box() {
        let layout = map_layout(&[100, 10_000, 2_500]);
        let area = |r: &Rect| r.w * r.h;
        assert!(area(&layout.boxes[1]) > area(&layout.boxes[2]));
        assert!(area(&layout.boxes[2]) > area(&layout.boxes[0]));
    }

    #[test]
    fn an_arrow_runs_from_border_to_border() {
        let a = Rect {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 50.0,
        };
        let b = Rect {
            x: 300.0,
            y: 0.0,
            w: 100.0,
            h: 50.0,
        };
        assert_eq!(arrow(&a, &b, 0.0), (100.0, 25.0, 300.0, 25.0));
        // Moved to the right of the direction of travel (down, in SVG's y).
        assert_eq!(arrow(&a, &b, 5.0), (100.0, 30.0, 300.0, 30.0));
    }
}
