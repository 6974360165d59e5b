//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API, written by hand next to
//! the routes (a test checks that every `/api/v1` route of the router is described here).

use axum::Json;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::ApiResult;

fn param(name: &str, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": "query", "required": false, "description": description, "schema": schema})
}

fn paging() -> [Value; 2] {
    [
        param(
            "page",
            "Page number, from 1.",
            json!({"type": "integer", "minimum": 1, "default": 1}),
        ),
        param(
            "per_page",
            "Items per page (at most 1000).",
            json!({"type": "integer", "minimum": 1, "maximum": 1000}),
        ),
    ]
}

fn format() -> Value {
    param(
        "format",
        "Answer format.",
        json!({"type": "string", "enum": ["json", "csv", "parquet"], "default": "json"}),
    )
}

fn errors(extra: &[&str]) -> Value {
    let mut r = serde_json::Map::new();
    r.insert("400".into(), json!({"description": "Malformed parameter", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
    for code in extra {
        let d = match *code {
            "401" => "Sign-in or bearer token required",
            "403" => "The caller's role may not do this",
            "404" => "Unknown country, as-of month or resource",
            "503" => "No data synced or no forecast run yet, or no keys configured for briefs",
            "409" => "Not allowed in the resource's current state",
            "422" => "Well-formed but invalid content (e.g. an empty rationale)",
            _ => "Error",
        };
        r.insert((*code).into(), json!({"description": d, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}));
    }
    Value::Object(r)
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {
        "application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}},
        "text/csv": {"schema": {"type": "string"}},
        "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}})
}

fn with_errors(mut responses: Value, errs: Value) -> Value {
    if let (Some(r), Some(e)) = (responses.as_object_mut(), errs.as_object()) {
        r.extend(e.clone());
    }
    responses
}

pub fn spec() -> Value {
    let [page, per_page] = paging();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Attaché API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Data-driven diplomacy. Every forecast is a reference: the system advises, a person decides. Errors have the shape {\"error\": {\"status\", \"code\", \"message\"}}.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{}, {"bearer": []}, {"session": []}],
        "paths": {
            "/forecasts": {"get": {
                "summary": "Conflict forecasts per country-month from a stored run",
                "description": "Median, 50% and 90% intervals and P(>= 25) of state-based battle deaths per month. With `country`, `meta.country` carries P(>= 25 in any of the next 12 months), the novelty flag and the drivers in words.",
                "parameters": [
                    param("country", "ISO3 code (or any code or name the crosswalk knows).", json!({"type": "string"})),
                    param("as_of", "The run's last month of data, YYYY-MM; default: the latest run.", json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"})),
                    param("model", "NAME@VERSION the run must have been made with (permalinks).", json!({"type": "string"})),
                    format(), page.clone(), per_page.clone()],
                "responses": with_errors(json!({"200": ok("Forecast rows", "ForecastPage")}), errors(&["404", "503"]))}},
            "/forecasts/runs": {"get": {"summary": "The as-of months with a stored run, newest first",
                "responses": with_errors(json!({"200": {"description": "Months", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}}}}}}), errors(&[]))}},
            "/forecasts/watchlist": {"get": {"summary": "The watch list: countries with no month of 25+ deaths in the 12 up to the run's as-of month, ranked by P(>= 25 deaths in a month of the next 12)",
                "parameters": [param("as_of", "YYYY-MM of a stored run (default: the latest).", json!({"type": "string"})),
                    param("model", "NAME@VERSION the run must have been made with (permalinks).", json!({"type": "string"})), format()],
                "responses": with_errors(json!({"200": ok("Watch list", "Table")}), errors(&["404", "503"]))}},
            "/countries": {"get": {"summary": "The country crosswalk: every code of every entity",
                "parameters": [format(), page.clone(), per_page.clone()],
                "responses": with_errors(json!({"200": ok("Countries", "Table")}), errors(&[]))}},
            "/countries/{code}": {"get": {"summary": "One country by any code or name, with its land neighbours",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": with_errors(json!({"200": {"description": "Country", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["404"]))}},
            "/sources": {"get": {"summary": "The current data vintage: sources (licence, citation, lag) and files (URL, sha256, rows)",
                "parameters": [format()],
                "responses": with_errors(json!({"200": ok("Files of the vintage; sources in meta", "Table")}), errors(&["503"]))}},
            "/predictors": {"get": {"summary": "The models briefs can attach outcomes of (the deployment's one registry), one row per quantity: model, kind, unit, subjects, scenarios, settings",
                "parameters": [format()],
                "responses": with_errors(json!({"200": ok("Predictors and their quantities", "Table")}), errors(&[]))}},
            "/briefs": {
                "get": {"summary": "Decision briefs the caller may read (above-clearance briefs are invisible)",
                    "parameters": [param("q", "Text search in titles and questions.", json!({"type": "string"})), page.clone(), per_page.clone()],
                    "responses": with_errors(json!({"200": {"description": "Briefs", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["503"]))},
                "post": {"summary": "Create a brief (analysts and diplomats)", "security": [{"bearer": []}, {"session": []}],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewBrief"}}}},
                    "responses": with_errors(json!({"201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}}), errors(&["401", "403", "422", "503"]))}},
            "/briefs/{id}": {"get": {"summary": "One brief (404 when above the caller's clearance)",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": with_errors(json!({"200": {"description": "Brief", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["404", "503"]))}},
            "/briefs/{id}/submit": {"post": {"summary": "Send a draft to review", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": with_errors(json!({"200": {"description": "In review", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["401", "403", "404", "409", "503"]))}},
            "/briefs/{id}/decision": {"post": {"summary": "Decide a brief in review (diplomats only; a written rationale is required)", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Decision"}}}},
                "responses": with_errors(json!({"200": {"description": "Decided", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["401", "403", "404", "409", "422", "503"]))}},
            "/climate/scenarios": {"get": {"summary": "The climate scenario explorer: current policies, NDCs and a user scenario, year by year",
                "description": "Global fossil CO2, total CO2 fed to the emulator, warming against 1850-1900 with ensemble quantiles, and CO2 concentration per scenario and year; `meta.scenarios` summarises each (warming in 2100, peak, years 1.5 and 2 C are passed, AR6 remaining budgets). Reference projections.",
                "parameters": [
                    param("reference", "SSP supplying land-use CO2 and the other gases.", json!({"type": "string", "enum": ["ssp119", "ssp126", "ssp245", "ssp370", "ssp585"], "default": "ssp245"})),
                    param("params", "Emulator parameter set.", json!({"type": "string", "enum": ["fair16", "calibrated", "calibrated-hist", "three-layer"], "default": "calibrated-hist"})),
                    param("ensemble", "Ensemble members for the quantiles (0 to 500).", json!({"type": "integer", "minimum": 0, "maximum": 500, "default": 100})),
                    param("pledges", "Which end of pledged ranges.", json!({"type": "string", "enum": ["unconditional", "conditional"]})),
                    param("edit", "Pledge edits `ISO3=spec;ISO3=spec` in the grammar of `attache climate pledges --edit`.", json!({"type": "string"})),
                    param("{group}_2030", "Slider: fossil CO2 in 2030 as a percentage of the jump-off year, for group chn, usa, eu, ind, rus, jpn or row (e.g. `chn_2030=70`).", json!({"type": "integer", "minimum": 0, "maximum": 200})),
                    param("{group}_nz", "Slider: net-zero year for the group (2101: as pledged), e.g. `usa_nz=2050`.", json!({"type": "integer", "minimum": 2030, "maximum": 2101})),
                    format()],
                "responses": with_errors(json!({"200": ok("Scenario rows", "Table")}), errors(&["503"]))}},
            "/climate/warming": {"get": {"summary": "The climate emulator on built-in emission scenarios (RCPs, SSPs)",
                "description": "Columns as `attache climate warming --format csv` (year, temperature_c, co2_ppm, and with an ensemble temperature_p05..p95) with a scenario column; `meta.warming_2081_2100` compares the SSPs with IPCC AR6 SPM.1.",
                "parameters": [
                    param("scenarios", "Comma-separated built-in scenarios (default: the five SSPs).", json!({"type": "string"})),
                    param("params", "Emulator parameter set.", json!({"type": "string", "enum": ["fair16", "calibrated", "calibrated-hist", "three-layer"], "default": "calibrated"})),
                    param("ensemble", "Ensemble members (0 to 1000).", json!({"type": "integer", "minimum": 0, "maximum": 1000, "default": 100})),
                    param("seed", "Ensemble seed.", json!({"type": "integer", "minimum": 0, "default": 1})),
                    param("to", "Last year (2030 to 2300).", json!({"type": "integer", "minimum": 2030, "maximum": 2300, "default": 2100})),
                    format()],
                "responses": with_errors(json!({"200": ok("Scenario rows", "Table")}), errors(&[]))}},
            "/climate/countries": {"get": {"summary": "Paris progress of every country: emissions, trend, NDC target, gap at the current trend, rating band",
                "parameters": [format(), page.clone(), per_page.clone()],
                "responses": with_errors(json!({"200": ok("Countries, largest emitter first", "Table")}), errors(&["503"]))}},
            "/climate/countries/{code}": {"get": {"summary": "One country's Paris progress, fair shares and rating (as `attache climate country`)",
                "description": "Rows: year, history, current policies, pledge pathway and target path (Mt CO2). `meta` carries the numbers of `attache climate country ISO3 --format json`.",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}},
                    param("edit", "Replace or amend the NDC pledge (`base:2005,cut:50,by:2030,netzero:2050`).", json!({"type": "string"})),
                    param("pledges", "Which end of pledged ranges.", json!({"type": "string", "enum": ["unconditional", "conditional"]})),
                    param("from", "First year of the rows.", json!({"type": "integer", "minimum": 1750, "maximum": 2019, "default": 1990})),
                    param("to", "Last year of the rows.", json!({"type": "integer", "minimum": 2030, "maximum": 2100, "default": 2060})),
                    format()],
                "responses": with_errors(json!({"200": ok("Years", "Table")}), errors(&["404", "422", "503"]))}},
            "/climate/blocs": {"get": {"summary": "Negotiating blocs: summed fossil CO2, trend, pledges and trend in 2030, gap",
                "parameters": [param("ids", "Comma-separated bloc ids (default: all).", json!({"type": "string"})), format()],
                "responses": with_errors(json!({"200": ok("Blocs", "Table")}), errors(&["404", "503"]))}},
            "/users": {"get": {"summary": "Accounts (admins only)", "security": [{"bearer": []}, {"session": []}],
                "parameters": [format(), page, per_page],
                "responses": with_errors(json!({"200": ok("Users", "Table")}), errors(&["401", "403"]))}},
            "/me": {"get": {"summary": "Who the caller is (anonymous when not signed in); signed in by the session cookie, also `csrf_token`, the `X-CSRF-Token` its POSTs must carry",
                "responses": with_errors(json!({"200": {"description": "Principal", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["401"]))}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A token from `attache user token NAME`."},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE,
                    "description": "The browser session. A POST authenticated by it must carry the session's token in `X-CSRF-Token` (from `GET /api/v1/me`) and come from this site (`Origin`, `Sec-Fetch-Site`); otherwise 403 `csrf`."}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["status", "code", "message"], "properties": {
                    "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}},
                "NewBrief": {"type": "object", "required": ["title", "question", "classification", "options"], "properties": {
                    "title": {"type": "string"}, "question": {"type": "string"},
                    "classification": {"type": "string", "enum": ["public", "restricted", "confidential", "secret"]},
                    "options": {"type": "array", "minItems": 2, "items": {"type": "object", "required": ["title", "summary"], "properties": {"title": {"type": "string"}, "summary": {"type": "string"}}}}}},
                "Decision": {"type": "object", "required": ["rationale"], "properties": {
                    "option": {"type": "integer", "description": "0-based option index"}, "reject_all": {"type": "boolean"}, "rationale": {"type": "string", "minLength": 1}}},
                "Pagination": {"type": "object", "properties": {"page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"}, "pages": {"type": "integer"}}},
                "Table": {"type": "object", "properties": {"meta": {"type": "object"}, "data": {"type": "array", "items": {"type": "object"}}, "pagination": {"$ref": "#/components/schemas/Pagination"}}},
                "ForecastRow": {"type": "object", "properties": {
                    "iso3": {"type": "string"}, "views_id": {"type": "integer"}, "month": {"type": "string"}, "month_id": {"type": "integer", "description": "1 = January 1980"},
                    "median": {"type": "number"}, "q05": {"type": "number"}, "q25": {"type": "number"}, "q75": {"type": "number"}, "q95": {"type": "number"},
                    "p_ge_25": {"type": "number", "description": "P(>= 25 deaths in this month)"}}},
                "ForecastPage": {"type": "object", "properties": {"meta": {"type": "object"}, "data": {"type": "array", "items": {"$ref": "#/components/schemas/ForecastRow"}}, "pagination": {"$ref": "#/components/schemas/Pagination"}}}
            }
        }
    })
}

pub async fn document() -> ApiResult {
    Ok(Json(spec()).into_response())
}
