//! Equal Earth forward projection against PROJ.
//!
//! Reference values: PROJ 9.5.1 through pyproj 3.7.2,
//! `Transformer.from_crs("+proj=longlat +R=1 +no_defs", "+proj=eqearth +R=1 +no_defs",
//! always_xy=True).transform(lon, lat)`, run independently of this crate (PROJ implements the
//! formulas of Šavrič, Patterson & Jenny 2018 in `src/projections/eqearth.cpp`).

use attache_viz::project::equal_earth;

fn check(lon: f64, lat: f64, expect: (f64, f64)) {
    let (x, y) = equal_earth(lon, lat);
    assert!(
        (x - expect.0).abs() < 1e-12 && (y - expect.1).abs() < 1e-12,
        "({lon}, {lat}) -> ({x}, {y}), PROJ gives {expect:?}"
    );
}

#[test]
fn matches_proj() {
    check(0.0, 0.0, (0.0, 0.0));
    check(180.0, 0.0, (2.7066299836960748, 0.0));
    check(0.0, 90.0, (0.0, 1.3173627591574133));
    check(-180.0, -90.0, (-1.6035886482840516, -1.3173627591574133));
    check(10.0, 20.0, (0.1460171092621033, 0.4008252175624881));
    check(-75.0, 40.0, (-0.9995432930377597, 0.7746211959189299));
    check(139.7, 35.7, (1.9094661078039663, 0.6980347558719651));
    check(180.0, 45.0, (2.319708998205967, 0.8602310855220102));
    check(-100.0, -60.0, (-1.1328111597619772, -1.0883008355053196));
    check(30.0, -80.0, (0.2783795299578413, -1.2882111962202532));
}
