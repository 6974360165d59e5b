//! `GET /api/v1/countries[?page&per_page&format]`: the crosswalk (every code of every entity,
//! with validity dates); `GET /api/v1/countries/{code}`: one entity by any code or name, with
//! its land neighbours.

use attache_core::{Country, Crosswalk};
use axum::extract::{OriginalUri, Path};
use serde_json::{Value, json};

use super::{ApiResult, FormatArg, ItemAnswer, TableAnswer, respond_list};
use crate::download::{Column, Table};
use crate::error::{AppError, ErrorBody};
use crate::params::{ApiParams, Page};

fn codes(c: &Country) -> Value {
    json!({"iso3": c.iso3, "name": c.name, "iso2": c.iso2, "iso_numeric": c.iso_numeric, "m49": c.m49, "fips": c.fips,
           "gw": c.gw, "gw_letters": c.gw_letters, "cow": c.cow, "cow_letters": c.cow_letters, "views_id": c.views_id,
           "valid_from": c.valid_from.map(|d| d.to_string()), "valid_to": c.valid_to.map(|d| d.to_string()),
           "region": c.region, "subregion": c.subregion, "independent": c.independent})
}

#[utoipa::path(get, path = "/countries", tag = "countries",
    summary = "The country crosswalk: every code of every entity",
    params(FormatArg, Page),
    responses((status = 200, description = "Countries (default 100 a page)", content(
            (TableAnswer = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.apache.parquet"))), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody)))]
pub async fn list(OriginalUri(uri): OriginalUri, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_list>()?;
    let FormatArg { format } = FormatArg::parse(&params)?;
    let rows = Crosswalk::global().countries();
    let text = |g: fn(&Country) -> Option<String>| Column::Text(rows.iter().map(g).collect());
    let int = |g: fn(&Country) -> Option<u16>| {
        Column::Int(rows.iter().map(|c| g(c).map(i64::from)).collect())
    };
    let t = Table::new("attache-countries", json!({"view": "countries"}))
        .with("iso3", text(|c| Some(c.iso3.clone())))
        .with("name", text(|c| Some(c.name.clone())))
        .with("iso2", text(|c| c.iso2.clone()))
        .with("iso_numeric", int(|c| c.iso_numeric))
        .with("m49", int(|c| c.m49))
        .with("fips", text(|c| c.fips.clone()))
        .with("gw", int(|c| c.gw))
        .with("cow", int(|c| c.cow))
        .with("views_id", int(|c| c.views_id))
        .with("valid_from", text(|c| c.valid_from.map(|d| d.to_string())))
        .with("valid_to", text(|c| c.valid_to.map(|d| d.to_string())))
        .with("region", text(|c| Some(c.region.clone())));
    respond_list(t, format, &params, 100, &uri)
}

#[utoipa::path(get, path = "/countries/{code}", tag = "countries",
    summary = "One country by any code or name, with its land neighbours",
    params(("code" = String, Path, description = "Any code (ISO3, ISO2, numeric, GW, COW, ...) or name.")),
    responses(
        (status = 200, description = "Country", body = ItemAnswer), (status = 400, description = "Malformed or unknown parameter", body = ErrorBody),
        (status = 404, description = "Unknown country", body = ErrorBody)))]
pub async fn one(Path(code): Path<String>, ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_one>()?;
    let cw = Crosswalk::global();
    let c = cw
        .find(&code)
        .map_err(|e| AppError::NotFound(format!("unknown country {code:?}: {e}")))?;
    let mut j = codes(c);
    j["aliases"] = json!(c.aliases);
    j["neighbours"] = json!(cw.neighbours(&c.iso3));
    ItemAnswer::ok(j)
}
