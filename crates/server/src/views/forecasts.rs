//! The forecast views' shared tables: the watch list (quiet countries by onset risk) that the
//! home page shows in part and `GET /api/v1/forecasts/watchlist` serves whole.

use serde_json::json;

use super::model_tag;
use crate::download::{Column, Table};

/// The watch list of a run: countries quiet for a year (no month with 25+ deaths in the 12 up to
/// the as-of month) ranked by their onset risk. The home page shows its first rows;
/// `GET /api/v1/forecasts/watchlist` serves it whole.
pub fn watch_table(run: &attache_store::ForecastRun) -> Table {
    let list = run.watch_list();
    Table::new(
        format!("attache-watchlist-{}", run.meta.as_of),
        json!({"view": "watch list", "label": run.meta.label, "as_of": run.meta.as_of, "vintage": run.meta.vintage,
               "model": model_tag(run), "seed": run.meta.seed, "draws": run.meta.draws,
               "outcome": "P(>= 25 state-based deaths in at least one of the next 12 months) for countries with no month of 25+ deaths in the 12 up to as_of"}),
    )
    .with("rank", Column::Int((1..=list.len() as i64).map(Some).collect()))
    .with("iso3", Column::Text(list.iter().map(|c| Some(c.iso3.clone())).collect()))
    .with("name", Column::Text(list.iter().map(|c| Some(c.name.clone())).collect()))
    .with("p_any_ge25_next12", Column::Float(list.iter().map(|c| c.p_any_ge25_next12).collect()))
    .with("worst_recent_month", Column::Float(list.iter().map(|c| c.worst_recent_month).collect()))
    .with("top_driver", Column::Text(list.iter().map(|c| c.drivers.first().map(|d| d.text.clone())).collect()))
}
