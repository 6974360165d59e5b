//! Property tests: outside input never makes the parser panic, and whatever is drawn is
//! well-formed XML with no NaN or infinity, whatever the values and texts.

use std::collections::HashMap;

use std::sync::OnceLock;

use attache_viz::chart::bar::{Bar, BarSpec, bar_chart};
use attache_viz::chart::fan::{FanData, FanSpec, FanStep, fan_chart};
use attache_viz::chart::line::{LineSpec, Series, YZero, line_chart};
use attache_viz::chart::{Frame, YearMonth};
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, Region, choropleth};
use attache_viz::palette::Palette;
use attache_viz::scale::{Scale, ValueFormat};
use attache_viz::topo::Topology;
use proptest::prelude::*;

use attache_testdata::mirror;

fn world_bytes() -> &'static [u8] {
    static B: OnceLock<Vec<u8>> = OnceLock::new();
    B.get_or_init(|| std::fs::read(mirror().join("natural-earth/countries-110m.json")).unwrap())
}

/// Output must parse as XML and contain no non-finite number.
fn assert_clean(svg: &str) {
    if let Err(e) = roxmltree::Document::parse(svg) {
        panic!("not well-formed: {e}\n{svg}");
    }
    for bad in ["NaN", "inf"] {
        assert!(!svg.contains(bad), "{bad} in output");
    }
}

/// Renders whatever a topology holds, so mutated-but-valid inputs are drawn too.
fn render_all(t: &Topology) {
    for name in t.object_names() {
        let regions: Vec<Region> = t
            .object(name)
            .unwrap()
            .iter()
            .map(|f| Region::from_feature(f, f.id.clone()))
            .collect();
        let spec = map_spec(ColourScale::Continuous {
            lo: 0.0,
            hi: 1.0,
            palette: Palette::Viridis,
        });
        let map = choropleth(&spec, &regions, &HashMap::new(), &HashMap::new()).unwrap();
        assert_clean(&map.svg);
    }
}

fn map_spec(colours: ColourScale) -> ChoroplethSpec {
    ChoroplethSpec {
        frame: Frame::new("m", "Map", 480.0, 300.0),
        legend_title: "Value".into(),
        colours,
        value_format: ValueFormat::Percent { decimals: 1 },
        no_data_colour: NO_DATA,
        link_template: Some("/c/{key}".into()),
    }
}

const SMALL: &str = r#"{"type":"Topology","transform":{"scale":[0.5,0.25],"translate":[-180,-90]},
"arcs":[[[100,100],[20,0],[0,20],[-20,0],[0,-20]],[[700,300],[20,0],[-720,0],[20,0],[0,20],[-20,0],[720,0],[-20,0],[0,-20]],[[0,10],[720,0],[-720,0],[0,-10],[0,10]]],
"objects":{"countries":{"type":"GeometryCollection","geometries":[
{"type":"Polygon","arcs":[[0]],"id":"1","properties":{"name":"A"}},
{"type":"MultiPolygon","arcs":[[[1]],[[0]]],"id":"2","properties":{"name":"B"}},
{"type":"Polygon","arcs":[[2]],"properties":{"name":"C"}}]}}}"#;

/// JSON fragments spliced into the small topology.
fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("-9223372036854775808".to_string()),
        Just("18446744073709551616".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        Just("[[[]]]".to_string()),
        Just("{}".to_string()),
        Just("\"Polygon\"".to_string()),
        Just("\"GeometryCollection\"".to_string()),
        Just("0.5".to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<f64>()
            .prop_filter("JSON has no NaN", |f| f.is_finite())
            .prop_map(|f| f.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Topology::parse(&bytes);
    }

    #[test]
    fn mutated_small_topology_never_panics(
        pos in 0usize..SMALL.len(), len in 0usize..8, tok in token(), mode in 0u8..3
    ) {
        let mut s = SMALL.as_bytes().to_vec();
        let end = (pos + len).min(s.len());
        match mode {
            0 => { s.splice(pos..end, tok.bytes()); }
            1 => { s.drain(pos..end); }
            _ => { s.truncate(pos); }
        }
        if let Ok(t) = Topology::parse(&s) {
            render_all(&t);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// Byte edits to the real 110m atlas: each must parse to a topology or a typed error.
    #[test]
    fn mutated_world_never_panics(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4)) {
        let mut b = world_bytes().to_vec();
        for (i, byte) in edits {
            let i = i.index(b.len());
            b[i] = byte;
        }
        if let Ok(t) = Topology::parse(&b) {
            render_all(&t);
        }
    }
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(0.0),
        Just(-0.0),
        Just(f64::MAX),
        Just(f64::MIN_POSITIVE),
        -2.0f64..3.0,
        any::<f64>(),
    ]
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Côte d'Ivoire".to_string()),
        Just("<script>alert('x')</script>".to_string()),
        Just("]]><!--".to_string()),
        // Texts that spell "NaN" or "inf" themselves would trip the output check.
        any::<String>().prop_filter("no nan/inf words", |s| {
            let l = s.to_lowercase();
            !l.contains("nan") && !l.contains("inf")
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Any values (NaN and infinities included) and any names: NaN/inf are drawn as no data
    /// and counted; the SVG stays clean.
    #[test]
    fn map_with_any_values_is_clean(
        vals in proptest::collection::vec(value(), 3),
        names in proptest::collection::vec(any_text(), 3),
        continuous in any::<bool>(),
    ) {
        let t = Topology::parse(SMALL.as_bytes()).unwrap();
        let regions: Vec<Region> = t.countries().unwrap().iter().zip(&names)
            .map(|(f, n)| Region { name: n.clone(), ..Region::from_feature(f, Some(n.clone())) })
            .collect();
        let values: HashMap<String, f64> = names.iter().cloned().zip(vals.iter().copied()).collect();
        let tooltips: HashMap<String, String> = names.iter().map(|n| (n.clone(), format!("{n} <&>"))).collect();
        let colours = if continuous {
            ColourScale::Continuous { lo: 0.0, hi: 1.0, palette: Palette::Viridis }
        } else {
            ColourScale::Binned { thresholds: vec![0.1, 0.5], palette: Palette::YlOrRd }
        };
        let map = choropleth(&map_spec(colours), &regions, &values, &tooltips).unwrap();
        assert_clean(&map.svg);
        let s = &map.stats;
        prop_assert_eq!(s.with_value + s.no_data, s.regions);
        // Names may repeat, so count by the values actually looked up.
        let looked_up: Vec<f64> = regions.iter().map(|r| values[r.key.as_ref().unwrap()]).collect();
        prop_assert_eq!(s.invalid, looked_up.iter().filter(|v| !(v.is_finite() && v.abs() <= 1e15)).count());
    }

    /// Charts refuse non-finite values with an error and draw everything else cleanly.
    #[test]
    fn charts_with_any_values_are_clean_or_refused(
        vals in proptest::collection::vec(value(), 1..12),
        label in any_text(),
        log in any::<bool>(),
    ) {
        let scale = if log { Scale::Log1p } else { Scale::Linear };
        let start = YearMonth::new(2020, 1).unwrap();
        let month = |i: usize| YearMonth::new(2020 + (i / 12) as i32, (i % 12 + 1) as u8).unwrap();
        let observed: Vec<(YearMonth, f64)> = vals.iter().enumerate().map(|(i, &v)| (month(i), v)).collect();
        let forecast: Vec<FanStep> = vals.iter().enumerate().map(|(i, &v)| {
            let m = month(i + vals.len());
            FanStep { month: m, median: v, q50: (v, v), q90: (v.min(0.0), v.max(0.0) * 2.0) }
        }).collect();
        let fan = FanSpec { frame: Frame::new("f", &label, 320.0, 240.0), y_label: label.clone(), scale, value_format: ValueFormat::Number { decimals: 1 } };
        // Values the charts must accept (the fan doubles them for its 95th percentile).
        let all_finite = vals.iter().all(|v| v.is_finite() && v.abs() <= 4e14);
        match fan_chart(&fan, &FanData { observed, forecast, outcome: vec![], as_of: start }) {
            Ok(svg) => assert_clean(&svg),
            Err(e) => prop_assert!(!all_finite || log, "refused finite values: {e}"),
        }
        let series = vec![Series::new(&label, vals.iter().enumerate().map(|(i, &v)| (1990.0 + i as f64, Some(v))).collect())];
        let spec = LineSpec { frame: Frame::new("l", &label, 320.0, 240.0), x_label: label.clone(), y_label: label.clone(), scale, value_format: ValueFormat::Number { decimals: 2 }, y_zero: YZero::Include };
        match line_chart(&spec, &series, &[]) {
            Ok(svg) => assert_clean(&svg),
            Err(e) => prop_assert!(!all_finite || log, "refused finite values: {e}"),
        }
        let bars: Vec<Bar> = vals.iter().map(|&v| Bar::new(&label, v)).collect();
        let spec = BarSpec { frame: Frame::new("b", &label, 320.0, 100.0 + 24.0 * bars.len() as f64), value_label: label.clone(), value_format: ValueFormat::Percent { decimals: 0 }, sign_labels: None };
        match bar_chart(&spec, &bars) {
            Ok(svg) => assert_clean(&svg),
            Err(e) => prop_assert!(!all_finite, "refused finite values: {e}"),
        }
    }
}
