//! Golden snapshots of small drawings, committed under `tests/golden/`. The inputs are made up
//! here, small enough to check by hand; besides the byte-for-byte snapshot, each test asserts a
//! few positions computed by hand from the layout rules, so an accepted snapshot cannot hide a
//! wrong picture. Regenerate with `UPDATE_GOLDEN=1 cargo test -p attache-viz --test golden`,
//! then review the diff.

use std::collections::HashMap;
use std::path::Path;

use attache_viz::chart::bar::{Bar, BarSpec, SignLabels, bar_chart};
use attache_viz::chart::fan::{FanData, FanSpec, FanStep, fan_chart};
use attache_viz::chart::line::{Band, LineSpec, Series, YZero, line_chart};
use attache_viz::chart::{Frame, YearMonth};
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, Region, choropleth};
use attache_viz::palette::Palette;
use attache_viz::scale::{Scale, ValueFormat};
use attache_viz::topo::Topology;

/// Compares `svg` with `tests/golden/<name>.svg` (or writes it with UPDATE_GOLDEN=1), and checks
/// it is well-formed XML. Returns the parsed document's text for further checks.
fn check(name: &str, svg: &str) -> String {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{name}: not well-formed: {e}"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.svg"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, svg).unwrap();
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    if svg != want {
        let at = svg
            .bytes()
            .zip(want.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(svg.len().min(want.len()));
        let ctx = |s: &str| {
            s.get(at.saturating_sub(80)..(at + 80).min(s.len()))
                .unwrap_or("(not at a char boundary)")
                .to_string()
        };
        panic!(
            "{name} differs from {} at byte {at}:\n got: {}\nwant: {}",
            path.display(),
            ctx(svg),
            ctx(&want)
        );
    }
    svg.to_string()
}

/// The attribute `attr` of the first element with class `class`.
fn attr(svg: &str, class: &str, attr: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let n = doc
        .descendants()
        .find(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|c| c == class))
        })
        .unwrap_or_else(|| panic!("no element of class {class}"));
    n.attribute(attr)
        .unwrap_or_else(|| panic!("{class} has no {attr}"))
        .to_string()
}

fn ym(s: &str) -> YearMonth {
    s.parse().unwrap()
}

#[test]
fn fan_small() {
    let spec = FanSpec {
        frame: Frame {
            caption: Some("Reference forecast — not a decision".into()),
            ..Frame::new("fan", "Fatalities in Testland", 400.0, 240.0)
        },
        y_label: "Deaths per month".into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number { decimals: 0 },
    };
    let data = FanData {
        observed: vec![
            (ym("2024-01"), 10.0),
            (ym("2024-02"), 30.0),
            (ym("2024-03"), 20.0),
        ],
        forecast: vec![
            FanStep {
                month: ym("2024-04"),
                median: 20.0,
                q50: (15.0, 30.0),
                q90: (5.0, 60.0),
            },
            FanStep {
                month: ym("2024-05"),
                median: 25.0,
                q50: (15.0, 40.0),
                q90: (0.0, 80.0),
            },
        ],
        outcome: vec![],
        as_of: ym("2024-03"),
    };
    let svg = check("fan_small", &fan_chart(&spec, &data).unwrap());
    // By hand: y ticks 0..80 step 20 (max 80); widest label "80" = 2 * 12 * 0.58 = 13.92, so the
    // plot starts at x = 24 + 13.92 + 8 = 45.92 and ends at 400 - 16 = 384. Five months span
    // 4 steps of (384 - 45.92) / 4 = 84.52: 2024-03 (the as-of month) is at 45.92 + 2 * 84.52 =
    // 214.96 → "215".
    assert_eq!(attr(&svg, "as-of", "data-month"), "2024-03");
    assert!(
        svg.contains(r#"<line x1="215" y1="#),
        "as-of line at x = 215"
    );
    // Legend items are 26 + 0.58 * 12 * chars + 16 wide: 97.7, 146.4, 250.8, 257.8, so three
    // rows in 384 px → plot top 30 + 3 * 18 + 14 = 98; bottom 240 - (24 + 18) = 198. The first
    // observation (10 of 80) is at y = 198 - 100 / 8 = 185.5.
    assert!(svg.contains(r#"<circle class="obs-pt" cx="45.9" cy="185.5" r="2.5""#));
    assert_eq!(attr(&svg, "fan-pt", "data-q95"), "60");
    assert!(svg.contains(
        "<title>2024-04: forecast median 20; 50% interval 15–30; 90% interval 5–60</title>"
    ));
    assert!(svg.contains(r#"class="caption""#));
}

/// What happened after the forecast is drawn over the fan: open circles on a dotted line, with
/// a legend entry and tooltips; a month out of order is refused.
#[test]
fn fan_with_outcome() {
    let spec = FanSpec {
        frame: Frame::new("fan", "Forecast against what happened", 400.0, 240.0),
        y_label: "Deaths per month".into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number { decimals: 0 },
    };
    let step = |m: &str, median: f64| FanStep {
        month: ym(m),
        median,
        q50: (median / 2.0, median * 2.0),
        q90: (0.0, median * 4.0),
    };
    let mut data = FanData {
        observed: vec![(ym("2024-01"), 10.0)],
        forecast: vec![step("2024-02", 10.0), step("2024-03", 10.0)],
        outcome: vec![(ym("2024-02"), 12.0), (ym("2024-03"), 95.0)],
        as_of: ym("2024-01"),
    };
    let svg = fan_chart(&spec, &data).unwrap();
    roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(svg.matches(r#"class="outcome-pt""#).count(), 2);
    assert!(svg.contains("What happened (known after the forecast)"));
    assert!(svg.contains("<title>2024-03: 95 happened (after the forecast)</title>"));
    // 95 lies above the 90% interval (40): the axis reaches it.
    assert!(svg.contains(r#"data-value="95""#));
    data.outcome.reverse();
    assert!(fan_chart(&spec, &data).is_err());
}

#[test]
fn fan_log1p() {
    let spec = FanSpec {
        frame: Frame::new("fanlog", "Log scale", 360.0, 220.0),
        y_label: "Deaths per month".into(),
        scale: Scale::Log1p,
        value_format: ValueFormat::Number { decimals: 0 },
    };
    let data = FanData {
        observed: vec![(ym("2023-12"), 0.0), (ym("2024-01"), 9.0)],
        forecast: vec![FanStep {
            month: ym("2024-02"),
            median: 99.0,
            q50: (9.0, 999.0),
            q90: (0.0, 1500.0),
        }],
        outcome: vec![],
        as_of: ym("2024-01"),
    };
    let svg = check("fan_log1p", &fan_chart(&spec, &data).unwrap());
    // Ticks 0, 1, 10, 100, 1000, 10000 (max 1500 → top 10^4).
    for t in ["0", "1", "10", "100", "1,000", "10,000"] {
        assert!(
            svg.contains(&format!(r##"fill="#333333">{t}</text>"##)),
            "tick {t}"
        );
    }
    // 9 on log1p: ln(10)/ln(10001) = 0.25 of the plot height. Plot: top 30 + 3 * 18 + 14 = 98
    // (legend in three rows, as in fan_small), bottom 220 - 28 = 192, so y = 192 - 94 / 4 = 168.5.
    assert!(
        svg.contains(r##" cy="168.5" r="2.5" fill="#333333" data-month="2024-01" data-value="9""##)
    );
    // A single forecast month gets a band 6 px wide.
    assert!(attr(&svg, "band-90", "d").contains("l6 "));
}

#[test]
fn line_small() {
    let spec = LineSpec {
        frame: Frame::new("lines", "Emissions & targets", 400.0, 260.0),
        x_label: "Year".into(),
        y_label: "Gt CO₂ per year".into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number { decimals: 1 },
        y_zero: YZero::Include,
    };
    let series = vec![
        Series::new(
            "History",
            vec![
                (2000.0, Some(10.0)),
                (2001.0, None),
                (2002.0, Some(12.0)),
                (2003.0, Some(11.0)),
            ],
        ),
        Series::new("Target", vec![(2003.0, Some(11.0)), (2010.0, Some(0.0))]),
    ];
    let bands = vec![Band {
        name: "Likely range".into(),
        points: vec![(2003.0, 10.0, 12.0), (2010.0, 5.0, 20.0)],
        series: Some(1),
    }];
    let svg = check("line_small", &line_chart(&spec, &series, &bands).unwrap());
    // The lone point of 2000 (between the start and a gap) is drawn as a marker; the line has
    // one run, 2002-2003.
    assert_eq!(attr(&svg, "pt", "data-x"), "2000");
    assert_eq!(attr(&svg, "line", "d").matches('M').count(), 1);
    assert_eq!(attr(&svg, "band", "data-band"), "Likely range");
    assert!(svg.contains("Emissions &amp; targets"));
    // Second series dashed, in Okabe–Ito vermillion.
    assert!(svg.contains(r##"stroke="#d55e00" stroke-width="2" stroke-dasharray="7 4""##));
}

#[test]
fn bar_signed() {
    let spec = BarSpec {
        frame: Frame::new("drivers", "Drivers", 360.0, 60.0 + 24.0 * 3.0 + 18.0),
        value_label: "Contribution (log-odds)".into(),
        value_format: ValueFormat::Number { decimals: 2 },
        sign_labels: Some(SignLabels {
            positive: "Raises risk".into(),
            negative: "Lowers risk".into(),
        }),
    };
    let bars = vec![
        Bar::new("Past conflict", 0.5),
        Bar {
            href: Some("/drivers/gdp".into()),
            ..Bar::new("GDP", -0.25)
        },
        Bar::new("Côte d'Ivoire <b>", 0.0),
    ];
    let svg = check("bar_signed", &bar_chart(&spec, &bars).unwrap());
    assert!(svg.contains(r#"class="bar pos" data-label="Past conflict" data-value="0.5""#));
    assert!(svg.contains(
        r#"<a href="/drivers/gdp" aria-label="GDP: −0.25"><g class="bar neg" data-label="GDP" data-value="-0.25">"#
    ));
    // Links inside an image are unreachable nested content: a chart with links is a group.
    assert!(svg.contains(r#"role="group""#) && !svg.contains(r#"role="img""#));
    assert!(svg.contains(">+0.50</text>") && svg.contains(">\u{2212}0.25</text>"));
    assert!(svg.contains("Côte d&#39;Ivoire &lt;b&gt;"));
}

/// Three regions: a square at 0..10°E 0..10°N, a square across the antimeridian (170°E to
/// 170°W, stored the way world-atlas stores Fiji), and an area without a code.
const TINY_TOPO: &str = r#"{"type":"Topology","transform":{"scale":[1,1],"translate":[-180,-90]},
 "arcs":[[[180,90],[10,0],[0,10],[-10,0],[0,-10]],
         [[350,80],[10,0],[-360,0],[10,0],[0,10],[-10,0],[360,0],[-10,0],[0,-10]],
         [[200,120],[5,0],[0,5],[-5,0],[0,-5]]],
 "objects":{"countries":{"type":"GeometryCollection","geometries":[
   {"type":"Polygon","arcs":[[0]],"id":"001","properties":{"name":"Squareland"}},
   {"type":"Polygon","arcs":[[1]],"id":"002","properties":{"name":"Dateline Isles"}},
   {"type":"Polygon","arcs":[[2]],"properties":{"name":"Nocode"}}]}}}"#;

#[test]
fn map_tiny() {
    let t = Topology::parse(TINY_TOPO.as_bytes()).unwrap();
    let keys = |id: &Option<String>| match id.as_deref() {
        Some("001") => Some("SQL".to_string()),
        Some("002") => Some("DTL".to_string()),
        _ => None,
    };
    let regions: Vec<Region> = t
        .countries()
        .unwrap()
        .iter()
        .map(|f| Region::from_feature(f, keys(&f.id)))
        .collect();
    let values = HashMap::from([
        ("SQL".to_string(), 0.42),
        ("DTL".to_string(), 0.07),
        ("XXX".to_string(), 1.0),
    ]);
    let tooltips = HashMap::from([(
        "DTL".to_string(),
        "Dateline Isles: 7% (<i>est.</i>)".to_string(),
    )]);
    let spec = ChoroplethSpec {
        frame: Frame::new("tiny", "Tiny world", 400.0, 300.0),
        legend_title: "Probability".into(),
        colours: ColourScale::Binned {
            thresholds: vec![0.1, 0.25, 0.5],
            palette: Palette::YlOrRd,
        },
        value_format: ValueFormat::Percent { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: Some("/country/{key}".into()),
    };
    let map = choropleth(&spec, &regions, &values, &tooltips).unwrap();
    let svg = check("map_tiny", &map.svg);
    assert_eq!(map.stats.values_without_region, ["XXX"]);
    assert_eq!(
        (
            map.stats.with_value,
            map.stats.no_data,
            map.stats.without_key
        ),
        (2, 1, 1)
    );
    // 0.42 is in class [0.25, 0.5), the third of four YlOrRd classes, at 2/3 of the palette:
    // position 5.33 of stops 0..8, a third of the way from #fc4e2a (252, 78, 42) to #e31a1c
    // (227, 26, 28) = (243.7, 60.7, 37.3) → #f43d25.
    // A linked map is a group, and its links are not Tab stops (the page's search box and
    // table reach the countries; a world map would be 170+ stops).
    assert!(svg.contains(r##"<a href="/country/SQL" aria-label="Squareland: 42%" tabindex="-1"><path class="region" data-key="SQL" data-value="0.42" fill="#f43d25""##));
    assert!(svg.contains(r#"role="group""#));
    // The dateline square is cut in two pieces (two M commands), both inside the map.
    let d = attr(&svg, "region", "d");
    assert_eq!(d.matches('M').count(), 1);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let dtl = doc
        .descendants()
        .find(|n| n.attribute("data-key") == Some("DTL"))
        .unwrap();
    assert_eq!(dtl.attribute("d").unwrap().matches('M').count(), 2);
    assert!(svg.contains("<title>Dateline Isles: 7% (&lt;i&gt;est.&lt;/i&gt;)</title>"));
    assert!(svg.contains(r##"<path class="region no-data" fill="url(#tiny-nodata)""##));
    assert!(svg.contains("<title>Nocode: no data</title>"));
}

/// Named classes (the climate map's rating bands): the value is the class index; an index
/// outside the classes is an invalid value, drawn as no data and counted.
#[test]
fn map_categories() {
    use attache_viz::palette::Rgb;
    let t = Topology::parse(TINY_TOPO.as_bytes()).unwrap();
    let keys = |id: &Option<String>| match id.as_deref() {
        Some("001") => Some("SQL".to_string()),
        Some("002") => Some("DTL".to_string()),
        _ => None,
    };
    let regions: Vec<Region> = t
        .countries()
        .unwrap()
        .iter()
        .map(|f| Region::from_feature(f, keys(&f.id)))
        .collect();
    let values = HashMap::from([("SQL".to_string(), 1.0), ("DTL".to_string(), 7.0)]);
    let spec = ChoroplethSpec {
        frame: Frame::new("cats", "Bands", 400.0, 300.0),
        legend_title: "Rating".into(),
        colours: ColourScale::Categories {
            classes: vec![
                ("Good".into(), Rgb(0x1a, 0x98, 0x50)),
                ("Poor & worse".into(), Rgb(0xd7, 0x30, 0x27)),
            ],
        },
        value_format: ValueFormat::Number { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: None,
    };
    let map = choropleth(&spec, &regions, &values, &HashMap::new()).unwrap();
    roxmltree::Document::parse(&map.svg).unwrap();
    assert!(
        map.svg
            .contains(r##"data-key="SQL" data-value="1" fill="#d73027""##),
        "{}",
        map.svg
    );
    assert_eq!((map.stats.with_value, map.stats.invalid), (1, 1));
    assert!(
        map.svg
            .contains(r#"<g class="legend-class" data-class="1">"#)
    );
    assert!(map.svg.contains("Poor &amp; worse"));
    assert!(
        map.svg.contains("Highest: ") && map.svg.contains(" Poor &amp; worse."),
        "{}",
        map.svg
    );
}
