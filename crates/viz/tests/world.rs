//! The real Natural Earth world atlas (world-atlas 2.0.2, from the data mirror): every country
//! parses, projects with the right area, and renders into one well-formed, compact SVG.

use std::collections::HashMap;
use std::path::Path;

use attache_viz::chart::Frame;
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, Region, choropleth};
use attache_viz::palette::Palette;
use attache_viz::project::{cut_ring, project_ring, ring_area, y_max};
use attache_viz::scale::ValueFormat;
use attache_viz::topo::Topology;

use attache_testdata::mirror;

fn atlas(file: &str) -> Topology {
    let bytes = std::fs::read(mirror().join("natural-earth").join(file)).unwrap();
    Topology::parse(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn all_files_parse_with_their_counts() {
    // (file, countries, countries without id) from the mirror's MANIFEST.md and the files.
    for (file, countries, without_id) in [
        ("countries-110m.json", 177, 3),
        ("countries-50m.json", 241, 5),
    ] {
        let t = atlas(file);
        assert_eq!(t.object_names().collect::<Vec<_>>(), ["countries", "land"]);
        let s = t.summary("countries").unwrap();
        assert_eq!(
            (s.features, s.without_id, s.without_name, s.without_geometry),
            (countries, without_id, 0, 0),
            "{file}"
        );
        assert_eq!(t.object("land").unwrap().len(), 1);
    }
    let t = atlas("countries-110m.json");
    let c = t.countries().unwrap();
    let unnamed: Vec<&str> = c
        .iter()
        .filter(|f| f.id.is_none())
        .filter_map(|f| f.name.as_deref())
        .collect();
    assert_eq!(unnamed, ["N. Cyprus", "Somaliland", "Kosovo"]);
    let fiji = &c[0];
    assert_eq!(
        (
            fiji.id.as_deref(),
            fiji.name.as_deref(),
            fiji.geometry.polygons.len()
        ),
        (Some("242"), Some("Fiji"), 2)
    );
    let arg = c
        .iter()
        .find(|f| f.name.as_deref() == Some("Argentina"))
        .unwrap();
    assert_eq!(
        arg.id.as_deref(),
        Some("032"),
        "ids are kept raw, with leading zeros"
    );
    assert_eq!(atlas("land-110m.json").object("land").unwrap().len(), 1);
}

/// Reference areas on the unit sphere from `tests/data/areas-110m.csv`, made by
/// `tests/data/gen_areas.py` with PROJ 9.5.1 geodesic areas (pyproj 3.7.2), independently of
/// this crate: (index, name, area).
fn reference_areas() -> Vec<(usize, String, f64)> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/areas-110m.csv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let (head, area) = l.rsplit_once(',').unwrap();
            let (index, rest) = head.split_once(',').unwrap();
            let (_, name) = rest.split_once(',').unwrap();
            (
                index.parse().unwrap(),
                name.trim_matches('"').to_string(),
                area.parse().unwrap(),
            )
        })
        .collect()
}

/// Equal Earth is equal-area: the projected area of each country (unit sphere) must match its
/// area on the sphere. This also catches pieces lost or doubled when cutting at the antimeridian
/// (Fiji, Russia) or closing Antarctica through the pole.
#[test]
fn projected_areas_match_the_sphere() {
    let t = atlas("countries-110m.json");
    let c = t.countries().unwrap();
    let reference = reference_areas();
    assert_eq!(reference.len(), c.len());
    let mut worst = (0.0, String::new());
    for (i, name, want) in reference {
        let f = &c[i];
        assert_eq!(f.name.as_deref(), Some(name.as_str()));
        let mut got = 0.0;
        for p in &f.geometry.polygons {
            let ring_area_of = |r: &Vec<_>| {
                cut_ring(r)
                    .iter()
                    .map(|piece| ring_area(&project_ring(piece)))
                    .sum::<f64>()
            };
            got += ring_area_of(&p.rings[0]) - p.rings[1..].iter().map(ring_area_of).sum::<f64>();
        }
        let rel = (got / want - 1.0).abs();
        // Edges are straight on the map here and lon/lat-linear in the reference; 110m edges are
        // long enough for that to matter at the 0.1% level (worst seen: 0.30%, Papua New Guinea).
        assert!(
            rel < 0.005,
            "{name}: projected area {got}, sphere {want} ({:.3}%)",
            rel * 100.0
        );
        if rel > worst.0 {
            worst = (rel, name);
        }
    }
    eprintln!(
        "worst relative area error: {:.4}% ({})",
        worst.0 * 100.0,
        worst.1
    );
}

/// No piece of any country has a long edge across the map (a streak), except along the pole
/// line, which is the map's straight bottom edge.
#[test]
fn no_streaks_across_the_map() {
    for file in ["countries-110m.json", "countries-50m.json"] {
        let t = atlas(file);
        for f in t.countries().unwrap() {
            for p in &f.geometry.polygons {
                for r in &p.rings {
                    for piece in cut_ring(r) {
                        assert!(piece.iter().all(|q| q.lon.abs() <= 180.0));
                        let xy = project_ring(&piece);
                        for w in xy.windows(2) {
                            let on_pole = (w[0][1].abs() - y_max()).abs() < 1e-9
                                && (w[1][1].abs() - y_max()).abs() < 1e-9;
                            let len = (w[1][0] - w[0][0]).hypot(w[1][1] - w[0][1]);
                            // 0.5 unit is about 33° of longitude at the equator; the longest real
                            // edge in these files is far shorter.
                            assert!(
                                on_pole || len < 0.5,
                                "{file} {:?}: edge {:?} -> {:?}",
                                f.name,
                                w[0],
                                w[1]
                            );
                        }
                    }
                }
            }
        }
    }
}

fn world_map(file: &str, width: f64) -> (Topology, attache_viz::map::Choropleth) {
    let t = atlas(file);
    let regions: Vec<Region> = t
        .countries()
        .unwrap()
        .iter()
        .map(|f| Region::from_feature(f, f.id.clone()))
        .collect();
    // Deterministic values in 0..1 for every region with a key, but one left out.
    let values: HashMap<String, f64> = regions
        .iter()
        .filter_map(|r| r.key.clone())
        .filter(|k| k != "010")
        .map(|k| {
            let v = (k.parse::<u32>().unwrap() % 97) as f64 / 96.0;
            (k, v)
        })
        .collect();
    let spec = ChoroplethSpec {
        frame: Frame {
            caption: Some("Natural Earth 1:110m; Equal Earth projection".into()),
            ..Frame::new("world", "Test map", width, width * 0.56)
        },
        legend_title: "Probability".into(),
        colours: ColourScale::Binned {
            thresholds: vec![0.05, 0.1, 0.25, 0.5],
            palette: Palette::YlOrRd,
        },
        value_format: ValueFormat::Percent { decimals: 0 },
        no_data_colour: NO_DATA,
        link_template: Some("/country/{key}".into()),
    };
    let map = choropleth(&spec, &regions, &values, &HashMap::new()).unwrap();
    (t, map)
}

#[test]
fn world_map_renders_every_country_in_well_formed_compact_svg() {
    let (t, map) = world_map("countries-110m.json", 960.0);
    let svg = &map.svg;
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}"));
    let paths: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|c| c == "region"))
        })
        .collect();
    assert_eq!(paths.len(), 177, "one path per country");
    assert!(
        paths
            .iter()
            .all(|p| p.attribute("d").is_some_and(|d| d.len() > 10))
    );
    let no_data = paths
        .iter()
        .filter(|p| p.attribute("class") == Some("region no-data"))
        .count();
    // Antarctica (left out of the values) and the three areas without an id.
    assert_eq!(no_data, 4);
    assert_eq!(map.stats.regions, 177);
    assert_eq!(
        (
            map.stats.with_value,
            map.stats.no_data,
            map.stats.without_key,
            map.stats.without_geometry,
            map.stats.tiny.len()
        ),
        (173, 4, 3, 0, 0)
    );
    // Links for the 174 regions with a key.
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("a")).count(),
        174
    );
    assert!(svg.contains(r#"<a href="/country/242" aria-label="#));
    assert!(svg.contains(r#"tabindex="-1"><path class="region" data-key="242""#));
    for bad in ["NaN", "inf"] {
        assert!(!svg.contains(bad), "{bad} in output");
    }
    eprintln!("110m world map at 960 px: {} bytes", svg.len());
    assert!(svg.len() < 150_000, "110m world map is {} bytes", svg.len());
    drop(t);

    let (_, map50) = world_map("countries-50m.json", 960.0);
    roxmltree::Document::parse(&map50.svg).unwrap();
    eprintln!("50m world map at 960 px: {} bytes", map50.svg.len());
    assert_eq!(map50.stats.regions, 241);
    // Below the 0.1 px grid at 960 px: drawn as diamonds, not lost.
    assert_eq!(map50.stats.tiny, ["Vatican", "Ashmore and Cartier Is."]);
    assert_eq!(map50.stats.without_geometry, 0);
    assert!(map50.svg.contains(r#"data-key="336""#));
}
