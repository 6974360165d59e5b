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
        param("page", "Page number, from 1.", json!({"type": "integer", "minimum": 1, "default": 1})),
        param("per_page", "Items per page (at most 1000).", json!({"type": "integer", "minimum": 1, "maximum": 1000})),
    ]
}

fn format() -> Value {
    param("format", "Answer format.", json!({"type": "string", "enum": ["json", "csv", "parquet"], "default": "json"}))
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
            "/countries": {"get": {"summary": "The country crosswalk: every code of every entity",
                "parameters": [format(), page.clone(), per_page.clone()],
                "responses": with_errors(json!({"200": ok("Countries", "Table")}), errors(&[]))}},
            "/countries/{code}": {"get": {"summary": "One country by any code or name, with its land neighbours",
                "parameters": [{"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": with_errors(json!({"200": {"description": "Country", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["404"]))}},
            "/sources": {"get": {"summary": "The current data vintage: sources (licence, citation, lag) and files (URL, sha256, rows)",
                "parameters": [format()],
                "responses": with_errors(json!({"200": ok("Files of the vintage; sources in meta", "Table")}), errors(&["503"]))}},
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
            "/users": {"get": {"summary": "Accounts (admins only)", "security": [{"bearer": []}, {"session": []}],
                "parameters": [format(), page, per_page],
                "responses": with_errors(json!({"200": ok("Users", "Table")}), errors(&["401", "403"]))}},
            "/me": {"get": {"summary": "Who the caller is (anonymous when not signed in)",
                "responses": with_errors(json!({"200": {"description": "Principal", "content": {"application/json": {"schema": {"type": "object"}}}}}), errors(&["401"]))}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "A token from `attache user token NAME`."},
                "session": {"type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE}
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
