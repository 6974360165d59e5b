//! `GET /api/v1/openapi.json`: the OpenAPI 3.1 description of the API, derived by `utoipa`
//! from each handler's `#[utoipa::path]` declaration (path, method, parameters, answers) and
//! from the request and answer types (`ToSchema`). Row schemas of tabular answers come from the
//! views' own table builders ([`crate::download::Table::row_schema`]). Nothing here restates a
//! parameter or a route: [`super::routes`] mounts the same declarations, and handlers refuse
//! undeclared parameters.

use axum::Json;
use axum::response::IntoResponse;
use serde_json::{Value, json};
use utoipa::OpenApi;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};

use super::{
    ApiResult, ItemAnswer, Pagination, TableAnswer, alerts, briefs, climate, countries, epidemic,
    events, forecasts, indices, negotiation, predictors, sources, speeches, trade, users,
};
use crate::download::Table;
use crate::error::{ErrorBody, ErrorDetail};
use crate::params::ApiParams;

/// The document's shared parts; the operations are the handlers' own.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Attaché API",
        description = "Data-driven diplomacy. Every forecast is a reference: the system advises, a person decides. Errors have the shape {\"error\": {\"status\", \"code\", \"message\"}}.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    servers((url = "/api/v1")),
    paths(
        document,
        forecasts::list, forecasts::runs, forecasts::watchlist,
        countries::list, countries::one,
        sources::list, predictors::list,
        climate::scenarios, climate::warming, climate::countries, climate::country, climate::blocs,
        epidemic::scenario, trade::simulate, trade::gaps, trade::country, indices::sdg, indices::risk, alerts::list, events::list, speeches::list,
        negotiation::positions, negotiation::proposal, negotiation::power, negotiation::agreement,
        briefs::list, briefs::create, briefs::one, briefs::submit, briefs::decide,
        users::list, users::me,
    ),
    components(schemas(
        ErrorBody, ErrorDetail, Pagination, TableAnswer, ItemAnswer,
        briefs::BriefIn, briefs::OptionIn, briefs::DecisionIn, briefs::ChangeAnswer, briefs::BriefList,
        forecasts::RunsAnswer,
    )),
    modifiers(&Security),
    security((), ("bearer" = []), ("session" = []))
)]
struct ApiDoc;

/// The two ways to sign in.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        let mut bearer = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build();
        bearer.description = Some("A token from `attache user token NAME`.".into());
        components.add_security_scheme("bearer", SecurityScheme::Http(bearer));
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "The browser session. A POST authenticated by it must carry the session's token in `X-CSRF-Token` (from `GET /api/v1/me`) and come from this site (`Origin`, `Sec-Fetch-Site`); otherwise 403 `csrf`.",
            ))),
        );
    }
}

/// The document as JSON, with the row schemas of tabular answers taken from their builders.
pub fn spec() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).expect("the OpenAPI document is JSON");
    let rows = forecasts::rows_table(Table::new("", Value::Null), &[]).row_schema();
    doc["components"]["schemas"]["ForecastRow"] = rows;
    doc["components"]["schemas"]["ForecastPage"] = json!({"allOf": [
        {"$ref": "#/components/schemas/TableAnswer"},
        {"type": "object", "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/ForecastRow"}}}}
    ]});
    if let Some(c) =
        doc["paths"]["/forecasts"]["get"]["responses"]["200"]["content"]["application/json"]
            .as_object_mut()
    {
        c.insert(
            "schema".into(),
            json!({"$ref": "#/components/schemas/ForecastPage"}),
        );
    }
    doc
}

#[utoipa::path(get, path = "/openapi.json", tag = "meta",
    summary = "This document",
    responses((status = 200, description = "OpenAPI 3.1", content_type = "application/json", body = Object)))]
pub async fn document(ApiParams(params): ApiParams) -> ApiResult {
    params.only_documented::<__path_document>()?;
    Ok(Json(spec()).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::documented;

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    #[test]
    fn the_document_has_every_operation_and_schema() {
        let doc = spec();
        assert_eq!(doc["openapi"], "3.1.0");
        let ops: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|p| p.as_object().unwrap().len())
            .sum();
        assert_eq!(ops, super::super::routes().len());
        for (path, _) in super::super::routes() {
            let rel = path.strip_prefix(super::super::PREFIX).unwrap();
            assert!(doc["paths"][rel].is_object(), "{rel} is not documented");
        }
        // Every $ref resolves.
        let text = doc.to_string();
        for r in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = r.split('"').next().unwrap();
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "dangling $ref {name}"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ForecastRow"]["properties"]["p_ge_25"]["type"],
            json!(["number", "null"])
        );
        assert!(doc["components"]["securitySchemes"]["session"].is_object());
    }

    /// The views that check their parameters themselves (shared with pages) take exactly
    /// what the API documents for them.
    #[test]
    fn views_accept_what_the_api_documents() {
        let known = |k: &[&str]| sorted(k.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            sorted(documented::<climate::__path_warming>()),
            known(&crate::views::climate::warming::KNOWN)
        );
        assert_eq!(
            sorted(documented::<climate::__path_scenarios>()),
            known(&crate::views::climate::explorer::KNOWN)
        );
        assert_eq!(
            sorted(documented::<events::__path_list>()),
            known(&crate::views::events::KNOWN)
        );
        assert_eq!(
            sorted(documented::<speeches::__path_list>()),
            known(&crate::views::signals::KNOWN)
        );
        assert_eq!(
            sorted(documented::<alerts::__path_list>()),
            known(&crate::views::alerts::KNOWN)
        );
        assert_eq!(
            sorted(documented::<epidemic::__path_scenario>()),
            known(&crate::views::epidemic::KNOWN)
        );
        assert_eq!(
            sorted(documented::<trade::__path_simulate>()),
            known(&crate::views::trade::KNOWN)
        );
        assert_eq!(
            sorted(documented::<indices::__path_sdg>()),
            known(&crate::views::indices::KNOWN_SDG)
        );
        assert_eq!(
            sorted(documented::<indices::__path_risk>()),
            known(&crate::views::indices::KNOWN_RISK)
        );
        assert_eq!(
            sorted(documented::<trade::__path_gaps>()),
            known(&crate::views::trade::KNOWN_GAPS)
        );
        for (declared, known_here) in [
            (
                sorted(documented::<negotiation::__path_positions>()),
                known(&crate::views::negotiation::KNOWN_TRACKER),
            ),
            (
                sorted(documented::<negotiation::__path_proposal>()),
                known(&crate::views::negotiation::KNOWN_PROPOSAL),
            ),
            (
                sorted(documented::<negotiation::__path_power>()),
                known(&crate::views::negotiation::KNOWN_POWER),
            ),
            (
                sorted(documented::<negotiation::__path_agreement>()),
                known(&crate::views::negotiation::KNOWN_AGREEMENT),
            ),
        ] {
            assert_eq!(declared, known_here);
        }
        assert_eq!(
            sorted(documented::<forecasts::__path_list>()),
            known(&["as_of", "country", "format", "model", "page", "per_page"])
        );
    }
}
