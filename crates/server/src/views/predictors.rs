//! The predictors view: every predictor of the deployment's registry, one row per quantity
//! (model, kind, what it is, unit, subjects, scenarios, settings). `GET /api/v1/predictors`
//! serves it; briefs attach outcomes of these models.

use attache_core::outcome::Registry;
use serde_json::json;

use crate::download::{Column, Table};

/// One row per quantity of every predictor.
pub fn table(registry: &Registry) -> Table {
    let mut rows: Vec<[String; 8]> = Vec::new();
    for s in registry.iter() {
        let kind = s.kind().as_str();
        let settings: Vec<&str> = s.settings().iter().map(|x| x.name).collect();
        for q in s.quantities() {
            rows.push([
                s.name().to_string(),
                kind.to_string(),
                s.description().to_string(),
                q.id,
                q.unit,
                q.subjects,
                q.scenarios.join(", "),
                settings.join(", "),
            ]);
        }
    }
    let col = |i: usize| Column::Text(rows.iter().map(|r| Some(r[i].clone())).collect());
    Table::new(
        "attache-predictors",
        json!({"view": "predictors", "models": registry.names(),
               "label": attache_core::outcome::REFERENCE_LABEL}),
    )
    .with("model", col(0))
    .with("kind", col(1))
    .with("description", col(2))
    .with("quantity", col(3))
    .with("unit", col(4))
    .with("subjects", col(5))
    .with("scenarios", col(6))
    .with("settings", col(7))
}
