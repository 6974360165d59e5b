//! `/methodology`: the model card (features and lags, training, backtest scores against the
//! benchmarks, known limits), rendered from `docs/MODEL_CARD.md` as built into this binary, the
//! stored runs, the climate method (`#climate`, from `docs/CLIMATE_METHOD.md`) and the epidemic
//! method (`#epidemic`, from `docs/EPIDEMIC_METHOD.md`), the trade method (`#trade`, from
//! `docs/TRADE_METHOD.md`) and the negotiation method (`#negotiation`, from
//! `docs/NEGOTIATION_METHOD.md`), and the signals beyond events (`#signals`, from
//! `docs/SIGNALS_METHOD.md`, with the speech tone's check computed from the vintage). Download:
//! the card's markdown (`?format=md`).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{PreEscaped, html};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::page as layout;
use crate::params::Params;

pub const MODEL_CARD: &str = include_str!("../../../../docs/MODEL_CARD.md");
pub const CLIMATE_METHOD: &str = include_str!("../../../../docs/CLIMATE_METHOD.md");
pub const EPIDEMIC_METHOD: &str = include_str!("../../../../docs/EPIDEMIC_METHOD.md");
pub const TRADE_METHOD: &str = include_str!("../../../../docs/TRADE_METHOD.md");
pub const NEGOTIATION_METHOD: &str = include_str!("../../../../docs/NEGOTIATION_METHOD.md");
pub const SIGNALS_METHOD: &str = include_str!("../../../../docs/SIGNALS_METHOD.md");

/// Markdown to HTML with raw HTML in the source escaped (the card is ours, but stay safe).
/// Each table scrolls in its own labelled region, so a phone's page does not scroll sideways.
pub fn markdown(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    let mut n = 0;
    let mut wrapped = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(i) = rest.find("<table>") {
        n += 1;
        wrapped.push_str(&rest[..i]);
        wrapped.push_str(&format!(
            r#"<div class="table-scroll" tabindex="0" role="region" aria-label="Table {n}">"#
        ));
        rest = &rest[i..];
        let end = rest
            .find("</table>")
            .map_or(rest.len(), |e| e + "</table>".len());
        wrapped.push_str(&rest[..end]);
        wrapped.push_str("</div>");
        rest = &rest[end..];
    }
    wrapped.push_str(rest);
    wrapped
}

pub async fn page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    params.only(&["format"])?;
    if let Some(f) = params.get("format") {
        if f != "md" {
            return Err(AppError::BadRequest(format!("format={f:?}: expected md")));
        }
        let mut r = MODEL_CARD.to_string().into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/markdown; charset=utf-8"),
        );
        r.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"attache-model-card.md\""),
        );
        return Ok(r);
    }
    let runs = state.runs()?;
    let check = match state.vintage() {
        Ok(_) => crate::views::signals::signals(&state)
            .await?
            .tone_check
            .clone(),
        Err(_) => None,
    };
    let body = html! {
        article.card { (PreEscaped(markdown(MODEL_CARD))) }
        h2 { "Stored forecast runs" }
        ul #runs { @for m in runs.iter().rev() { li { a href={"/?as_of=" (m)} { (m) } } } }
        section #climate { article.card { (PreEscaped(markdown(CLIMATE_METHOD))) } }
        section #epidemic { article.card { (PreEscaped(markdown(EPIDEMIC_METHOD))) } }
        section #trade { article.card { (PreEscaped(markdown(TRADE_METHOD))) } }
        section #negotiation { article.card { (PreEscaped(markdown(NEGOTIATION_METHOD))) } }
        section #signals { article.card {
            (PreEscaped(markdown(SIGNALS_METHOD)))
            @match &check {
                Some(c) => p #tone-check {
                    "In this data vintage: on " (c.headlines) " labelled headlines (" (c.positive) " positive, " (c.negative) " negative), the tone's AUC is "
                    strong data-value=(c.auc) { (format!("{:.3}", c.auc)) }
                    "; " (c.with_listed_word) " headlines hold a listed word, and where the tone is not 0 its sign agrees with the label for "
                    (format!("{:.0}%", c.sign_agreement * 100.0)) " of them."
                },
                None => p #tone-check.small { "This data vintage has no labelled headlines (source good-news-everyone), so the check is not shown." },
            }
        } }
        p.view-links { a.permalink href="/methodology" { "Permalink" } " · Download: " a.download data-format="md" href="/methodology?format=md" { "Markdown" } }
    };
    Ok(Html(layout("Methodology", &viewer, body).into_string()).into_response())
}
