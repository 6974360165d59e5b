//! The Equal Earth projection and cutting polygons at the antimeridian.
//!
//! Equal Earth (Šavrič, Patterson & Jenny 2018, "The Equal Earth map projection", International
//! Journal of Geographical Information Science 33(3), doi:10.1080/13658816.2018.1504949) is an
//! equal-area pseudocylindrical projection: areas on the map are proportional to areas on the
//! globe, so a large country does not look more at risk than it is. On the unit sphere,
//!
//! ```text
//! θ = asin(M sin φ),  M = √3 / 2
//! x = 2√3 λ cos θ / (3 (A1 + 3 A2 θ² + 7 A3 θ⁶ + 9 A4 θ⁸))
//! y = A1 θ + A2 θ³ + A3 θ⁷ + A4 θ⁹
//! A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796
//! ```
//!
//! with λ, φ in radians; x spans ±2.7066 and y ±1.3174 (y points north).
//!
//! World-atlas polygons are spherical: Fiji, Russia's Chukotka and Antarctica have edges that
//! cross the ±180° meridian (a step from 179.4° to -180°). Drawn naively in the plane, such an
//! edge becomes a streak across the whole map. [`cut_ring`] unwraps a ring's longitudes so it is
//! continuous, then clips it into 360°-wide windows and shifts each piece back into -180..180.
//! A ring that goes once around a pole (Antarctica) is first closed through that pole (the pole
//! on the side of the ring's mean latitude). Pieces are closed rings; edges running along the
//! ±180° meridian are densified (1° steps), since that meridian is curved on the map.

use crate::topo::{LonLat, MultiPolygon};

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// Forward Equal Earth on the unit sphere: degrees in, `(x, y)` out, y north.
pub fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    let m = 3f64.sqrt() / 2.0;
    let (lam, phi) = (lon.to_radians(), lat.to_radians());
    let t = (m * phi.sin()).asin();
    let (t2, t6) = (t * t, t.powi(6));
    let x = lam * t.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

/// Half the width of the unit Equal Earth map (x at 180°E on the equator).
pub fn x_max() -> f64 {
    equal_earth(180.0, 0.0).0
}

/// Half the height of the unit Equal Earth map (y at the North Pole).
pub fn y_max() -> f64 {
    equal_earth(0.0, 90.0).1
}

/// Longitude difference brought into -180..180.
fn wrap(d: f64) -> f64 {
    d - 360.0 * (d / 360.0).round()
}

/// At most this many 360° windows are visited for one ring; a ring winding around more often
/// than that is not a real country and is returned unchanged.
const MAX_WINDOWS: i64 = 4;

/// Cuts one closed ring at the antimeridian into closed rings with longitudes in -180..180.
/// A ring that does not cross it is returned as is (one piece).
pub fn cut_ring(ring: &[LonLat]) -> Vec<Vec<LonLat>> {
    let mut pts: Vec<LonLat> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if pts.len() < 3 {
        return Vec::new();
    }
    // Unwrapped longitudes: each step is the short way round.
    let mut u: Vec<[f64; 2]> = Vec::with_capacity(pts.len() + 4);
    u.push([pts[0].lon, pts[0].lat]);
    for w in pts.windows(2) {
        let prev = u[u.len() - 1][0];
        u.push([prev + wrap(w[1].lon - w[0].lon), w[1].lat]);
    }
    let last = u[u.len() - 1][0];
    let net = last + wrap(pts[0].lon - pts[pts.len() - 1].lon) - u[0][0];
    let turns = (net / 360.0).round();
    if turns != 0.0 {
        // Around a pole: close through it.
        let mean_lat = pts.iter().map(|p| p.lat).sum::<f64>() / pts.len() as f64;
        let pole = if mean_lat < 0.0 { -90.0 } else { 90.0 };
        let (u0, lat0) = (u[0][0], u[0][1]);
        let end = u0 + 360.0 * turns;
        u.push([end, lat0]);
        u.push([end, pole]);
        u.push([u0, pole]);
    }
    let (lo, hi) = u
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[0]), hi.max(p[0]))
        });
    if lo >= -180.0 && hi <= 180.0 {
        return vec![close(
            u.iter()
                .map(|p| LonLat {
                    lon: p[0],
                    lat: p[1],
                })
                .collect(),
        )];
    }
    let wmin = ((lo + 180.0) / 360.0).floor() as i64;
    let wmax = ((hi - 180.0) / 360.0).ceil() as i64;
    if wmax - wmin >= MAX_WINDOWS {
        return vec![ring.to_vec()];
    }
    let mut out = Vec::new();
    for w in wmin..=wmax {
        let shift = 360.0 * w as f64;
        let piece = clip_x(
            &clip_x(&u, shift - 180.0, Side::Above),
            shift + 180.0,
            Side::Below,
        );
        if piece.len() >= 3 {
            let piece = piece
                .iter()
                .map(|p| {
                    let lon = (p[0] - shift).clamp(-180.0, 180.0);
                    let lon = if (lon.abs() - 180.0).abs() < 1e-9 {
                        180f64.copysign(lon)
                    } else {
                        lon
                    };
                    LonLat { lon, lat: p[1] }
                })
                .collect();
            out.push(close(piece));
        }
    }
    out
}

fn close(mut r: Vec<LonLat>) -> Vec<LonLat> {
    if r.first() != r.last()
        && let Some(&f) = r.first()
    {
        r.push(f);
    }
    r
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    /// Keep x >= bound.
    Above,
    /// Keep x <= bound.
    Below,
}

/// Sutherland–Hodgman clip of a polygon (open ring) against a vertical line.
fn clip_x(poly: &[[f64; 2]], bound: f64, side: Side) -> Vec<[f64; 2]> {
    let inside = |p: &[f64; 2]| match side {
        Side::Above => p[0] >= bound,
        Side::Below => p[0] <= bound,
    };
    let mut out = Vec::with_capacity(poly.len());
    for i in 0..poly.len() {
        let a = poly[i];
        let b = poly[(i + 1) % poly.len()];
        let (ia, ib) = (inside(&a), inside(&b));
        if ia {
            out.push(a);
        }
        if ia != ib {
            let t = (bound - a[0]) / (b[0] - a[0]);
            out.push([bound, a[1] + t * (b[1] - a[1])]);
        }
    }
    out
}

/// Projects a multipolygon to unit Equal Earth coordinates: closed rings, cut at the
/// antimeridian, with edges along ±180° densified. Use the even-odd rule to fill them.
pub fn project(mp: &MultiPolygon) -> Vec<Vec<[f64; 2]>> {
    let mut out = Vec::new();
    for poly in &mp.polygons {
        for ring in &poly.rings {
            for piece in cut_ring(ring) {
                out.push(project_ring(&piece));
            }
        }
    }
    out
}

/// Projects one ring that lies within -180..180 (a piece from [`cut_ring`]), densifying edges
/// along the ±180° meridian.
pub fn project_ring(r: &[LonLat]) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(r.len());
    for (i, p) in r.iter().enumerate() {
        if i > 0 {
            let q = r[i - 1];
            let on_seam = q.lon.abs() == 180.0 && p.lon == q.lon;
            let steps = (p.lat - q.lat).abs().floor() as usize;
            if on_seam && steps > 1 {
                for k in 1..steps {
                    let lat = q.lat + (p.lat - q.lat) * k as f64 / steps as f64;
                    let (x, y) = equal_earth(p.lon, lat);
                    out.push([x, y]);
                }
            }
        }
        let (x, y) = equal_earth(p.lon, p.lat);
        out.push([x, y]);
    }
    out
}

/// The outline of the whole map (the globe's edge): a closed ring in unit coordinates.
pub fn outline() -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(364);
    for lat in -90..=90 {
        let (x, y) = equal_earth(180.0, lat as f64);
        out.push([x, y]);
    }
    for lat in (-90..=90).rev() {
        let (x, y) = equal_earth(-180.0, lat as f64);
        out.push([x, y]);
    }
    out.push(out[0]);
    out
}

/// Area enclosed by a closed ring (shoelace), absolute value.
pub fn ring_area(r: &[[f64; 2]]) -> f64 {
    let s: f64 = r
        .windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum();
    (s / 2.0).abs()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ll(pts: &[(f64, f64)]) -> Vec<LonLat> {
        pts.iter().map(|&(lon, lat)| LonLat { lon, lat }).collect()
    }

    #[test]
    fn origin_and_extent() {
        assert_eq!(equal_earth(0.0, 0.0), (0.0, 0.0));
        assert!((x_max() - 2.706_629_983_696_075).abs() < 1e-12);
        assert!((y_max() - 1.317_362_759_157_413).abs() < 1e-12);
    }

    #[test]
    fn ring_inside_is_untouched() {
        let r = ll(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]);
        assert_eq!(cut_ring(&r), vec![r]);
    }

    #[test]
    fn ring_across_antimeridian_splits_in_two() {
        // A 2x2 square centred on 180°, stored the way world-atlas stores Fiji.
        let r = ll(&[
            (179.0, -1.0),
            (-179.0, -1.0),
            (-179.0, 1.0),
            (179.0, 1.0),
            (179.0, -1.0),
        ]);
        let pieces = cut_ring(&r);
        assert_eq!(pieces.len(), 2);
        for p in &pieces {
            assert!(p.iter().all(|q| q.lon.abs() >= 179.0), "{p:?}");
            let lons: Vec<f64> = p.iter().map(|q| q.lon).collect();
            assert!(
                lons.iter().all(|&l| l > 0.0) || lons.iter().all(|&l| l < 0.0),
                "{lons:?}"
            );
            assert!(lons.iter().any(|&l| l.abs() == 180.0));
        }
    }

    #[test]
    fn ring_around_the_south_pole_closes_through_it() {
        // A ring along the parallel 70°S, stored like world-atlas's Antarctica (one step from
        // 180° back to -180°), shifted so the cut is not at its first point.
        let r = ll(&[
            (-60.0, -70.0),
            (60.0, -70.0),
            (180.0, -70.0),
            (-180.0, -70.0),
            (-60.0, -70.0),
        ]);
        let pieces = cut_ring(&r);
        assert!(!pieces.is_empty());
        assert!(pieces.iter().any(|p| p.iter().any(|q| q.lat == -90.0)));
        // Equal Earth parallels are straight lines, so the projected area must equal the
        // spherical cap south of 70°S on the unit sphere, 2π(1 - sin 70°).
        let a: f64 = pieces.iter().map(|p| ring_area(&project_ring(p))).sum();
        let cap = 2.0 * std::f64::consts::PI * (1.0 - 70f64.to_radians().sin());
        assert!((a / cap - 1.0).abs() < 1e-3, "{a} vs cap {cap}");
    }
}
