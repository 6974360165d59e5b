//! The trade scenario's picture: the world map of the predicted change in real GDP, on a
//! diverging scale (red loss, blue gain, near white little change); countries outside the
//! gravity panel are drawn as no data.

use std::collections::HashMap;

use attache_viz::chart::Frame;
use attache_viz::map::{ChoroplethSpec, ColourScale, NO_DATA, choropleth};
use attache_viz::palette::Palette;
use attache_viz::scale::ValueFormat;

use super::{MapRegions, html_legend};
use crate::error::AppError;

/// Class edges of the real-GDP map, percent change.
pub const GDP_EDGES: [f64; 8] = [-1.0, -0.3, -0.1, -0.01, 0.01, 0.1, 0.3, 1.0];

/// One country on the map: ISO3, name, central change and its interval, percent.
pub struct GdpChange {
    pub iso3: String,
    pub name: String,
    pub central: f64,
    pub low: f64,
    pub high: f64,
}

/// The world map of predicted changes in real GDP (the table below it is the accessible
/// alternative).
pub fn gdp_map(map: &MapRegions, values: &[GdpChange], year: i64) -> Result<String, AppError> {
    let mut v = HashMap::new();
    let mut tips = HashMap::new();
    for c in values {
        v.insert(c.iso3.clone(), c.central);
        tips.insert(
            c.iso3.clone(),
            format!(
                "{}: real GDP {:+.3}% (90% interval {:+.3}% to {:+.3}%)",
                c.name, c.central, c.low, c.high
            ),
        );
    }
    let mut frame = Frame::new(
        "trade-gdp-map",
        "Predicted change in real GDP",
        960.0,
        520.0,
    );
    frame.caption = Some(format!(
        "Reference simulation on the {year} economy of the gravity panel's countries; grey hatched: not in the panel."
    ));
    let spec = ChoroplethSpec {
        frame,
        legend_title: "Change in real GDP, percent (red: loss, blue: gain)".into(),
        colours: ColourScale::Binned {
            thresholds: GDP_EDGES.to_vec(),
            palette: Palette::RdBu,
        },
        value_format: ValueFormat::Number { decimals: 2 },
        no_data_colour: NO_DATA,
        link_template: None,
    };
    let c = choropleth(&spec, &map.regions(), &v, &tips).map_err(AppError::internal)?;
    Ok(c.svg + &html_legend(&spec))
}
