//! Writes one of each drawing to a folder, for looking at them in a browser:
//!
//! ```text
//! cargo run -p attache-viz --example gallery -- <mirror>/natural-earth/countries-110m.json /tmp/gallery
//! ```
//!
//! The values are made up (deterministic) and labelled as such; only the shapes are real.

use std::collections::HashMap;

use attache_viz::chart::bar::{Bar, BarSpec, SignLabels, bar_chart};
use attache_viz::chart::fan::{FanData, FanSpec, FanStep, fan_chart};
use attache_viz::chart::line::{Band, LineSpec, LineStyle, Series, YZero, line_chart};
use attache_viz::chart::{Frame, YearMonth};
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, Region, choropleth};
use attache_viz::palette::Palette;
use attache_viz::scale::{Scale, ValueFormat};
use attache_viz::topo::Topology;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, topo, out] = args.as_slice() else {
        return Err("usage: gallery <countries-110m.json> <out-dir>".into());
    };
    std::fs::create_dir_all(out)?;
    let write = |name: &str, svg: &str| std::fs::write(format!("{out}/{name}.svg"), svg);

    let t = Topology::parse(&std::fs::read(topo)?)?;
    let regions: Vec<Region> = t
        .countries()?
        .iter()
        .map(|f| Region::from_feature(f, f.id.clone()))
        .collect();
    let values: HashMap<String, f64> = regions
        .iter()
        .filter_map(|r| r.key.clone())
        .map(|k| {
            let v = (k.parse::<u64>().unwrap_or(0) * 37 % 101) as f64 / 100.0;
            (k, v * v)
        })
        .collect();
    for (name, colours) in [
        (
            "map-binned",
            ColourScale::Binned {
                thresholds: vec![0.05, 0.1, 0.25, 0.5],
                palette: Palette::YlOrRd,
            },
        ),
        (
            "map-continuous",
            ColourScale::Continuous {
                lo: 0.0,
                hi: 1.0,
                palette: Palette::Viridis,
            },
        ),
    ] {
        let spec = ChoroplethSpec {
            frame: Frame {
                caption: Some("Made-up values for a layout check. Natural Earth 1:110m, Equal Earth projection.".into()),
                ..Frame::new(name, "Probability of ≥ 25 battle deaths next month (made up)", 960.0, 560.0)
            },
            legend_title: "Probability, next month".into(),
            colours,
            value_format: ValueFormat::Percent { decimals: 0 },
            no_data_colour: NO_DATA,
            link_template: Some("/country/{key}".into()),
        };
        let map = choropleth(&spec, &regions, &values, &HashMap::new())?;
        eprintln!("{name}: {} bytes, {:?}", map.svg.len(), map.stats);
        write(name, &map.svg)?;
    }

    let ym = |s: &str| s.parse::<YearMonth>().expect("month");
    let observed: Vec<(YearMonth, f64)> = (0..24)
        .map(|i| {
            let m = YearMonth::new(2023 + (i / 12), (i % 12 + 1) as u8).expect("month");
            (
                m,
                [0.0, 3.0, 12.0, 40.0, 7.0, 150.0, 90.0, 30.0][i as usize % 8],
            )
        })
        .collect();
    let forecast: Vec<FanStep> = (1..=12)
        .map(|i| {
            let m = YearMonth::new(2025 + (i - 1) / 12, ((i - 1) % 12 + 1) as u8).expect("month");
            let s = 1.0 + i as f64 * 0.15;
            FanStep {
                month: m,
                median: 25.0 * s,
                q50: (8.0, 70.0 * s),
                q90: (0.0, 400.0 * s),
            }
        })
        .collect();
    for (name, scale) in [("fan-log1p", Scale::Log1p), ("fan-linear", Scale::Linear)] {
        let spec = FanSpec {
            frame: Frame {
                caption: Some("Reference forecast — not a decision".into()),
                ..Frame::new(
                    name,
                    "Sudan: state-based conflict fatalities (made up)",
                    720.0,
                    360.0,
                )
            },
            y_label: "Fatalities per month".into(),
            scale,
            value_format: ValueFormat::Number { decimals: 0 },
        };
        let data = FanData {
            observed: observed.clone(),
            forecast: forecast.clone(),
            outcome: vec![],
            as_of: ym("2024-12"),
        };
        write(name, &fan_chart(&spec, &data)?)?;
    }

    let years = |a: i32, b: i32, f: &dyn Fn(f64) -> f64| {
        (a..=b)
            .map(|y| (y as f64, Some(f(y as f64))))
            .collect::<Vec<_>>()
    };
    let mut hist = years(1990, 2023, &|y| 35.0 + (y - 1990.0) * 0.4);
    hist[5].1 = None;
    let spec = LineSpec {
        frame: Frame::new(
            "emissions",
            "Emissions: history, target path and trend (made up)",
            720.0,
            380.0,
        ),
        x_label: "Year".into(),
        y_label: "Gt CO₂ per year".into(),
        scale: Scale::Linear,
        value_format: ValueFormat::Number { decimals: 1 },
        y_zero: YZero::Include,
    };
    let series = vec![
        Series::new("History", hist),
        Series {
            style: Some(LineStyle::Dashed),
            ..Series::new(
                "Target path",
                years(2023, 2050, &|y| 48.6 * (2050.0 - y) / 27.0),
            )
        },
        Series::new("Trend", years(2023, 2050, &|y| 48.6 + (y - 2023.0) * 0.3)),
    ];
    let bands = vec![Band {
        name: "Trend, likely range".into(),
        points: (2023..=2050)
            .map(|y| {
                let y = y as f64;
                let c = 48.6 + (y - 2023.0) * 0.3;
                (y, c - (y - 2023.0) * 0.4, c + (y - 2023.0) * 0.4)
            })
            .collect(),
        series: Some(2),
    }];
    write("line", &line_chart(&spec, &series, &bands)?)?;

    let bars = vec![
        Bar::new("Conflict last 12 months", 0.21),
        Bar::new("Neighbour conflict", 0.07),
        Bar::new("GDP per capita", -0.05),
        Bar {
            href: Some("/docs/drivers#regime".into()),
            ..Bar::new("Regime (Polity5)", -0.02)
        },
        Bar::new("<script>alert(1)</script>", 0.01),
    ];
    let spec = BarSpec {
        frame: Frame {
            caption: Some(
                "Contributions to the log-odds; the model is a reference, not a decision.".into(),
            ),
            ..Frame::new(
                "drivers",
                "What drives the forecast for Côte d'Ivoire (made up)",
                640.0,
                60.0 + 24.0 * 5.0 + 36.0,
            )
        },
        value_label: "Contribution to risk (log-odds)".into(),
        value_format: ValueFormat::Number { decimals: 2 },
        sign_labels: Some(SignLabels {
            positive: "Raises risk".into(),
            negative: "Lowers risk".into(),
        }),
    };
    write("bars", &bar_chart(&spec, &bars)?)?;
    Ok(())
}
