//! Attaché's web server, as a library: one route table ([`router`]), one [`AppState`], typed
//! extractors for who is asking ([`auth::Viewer`]), handlers by resource (`pages/` for HTML,
//! `api/` for the JSON API under `/api/v1`). The binary only wires it up (`attache serve`).
//!
//! Every page is server-rendered HTML with SVG drawn in Rust (`attache-viz`); the little
//! JavaScript there is is hand-written and optional. Every view has a permalink (its URL carries
//! the as-of month, the model version and its filters) and downloads of exactly what it shows
//! (`?format=csv|json|parquet` on the same URL).

pub mod api;
pub mod auth;
pub mod charts;
pub mod climate;
pub mod csrf;
pub mod download;
pub mod error;
pub mod freshness;
pub mod html;
pub mod pages;
pub mod params;
pub mod security;
pub mod state;
pub mod views;
pub mod work;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::routing::{get, post};

pub use error::{AppError, ServerError};
pub use state::AppState;

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The data dir (vintages, forecasts, `attache.db`).
    pub data_dir: PathBuf,
    /// Set the `Secure` flag on cookies and send HSTS: the server is reached over TLS (directly
    /// or through a TLS-terminating proxy).
    pub tls: bool,
    /// Per-request time limit.
    pub request_timeout: Duration,
    /// The deployment's secrets (vault keyring, audit signing key); default `<data-dir>/secrets`.
    /// Without them the briefs answer 503 and everything else works; keys made later (`attache
    /// keys init`) are picked up by the running server at the next request that needs them.
    pub secrets_dir: Option<PathBuf>,
    /// Public keys of the ministry's signed statements, checked by `/verify`.
    pub statement_keys: Vec<PathBuf>,
    /// The pool that runs simulations on request.
    pub work: work::WorkLimits,
    /// Where the read paths' SQL runs: embedded DataFusion by default, or a Ballista cluster.
    pub engine: Option<std::sync::Arc<dyn attache_store::Engine>>,
    /// Every predictor of the deployment (the binary builds the one registry).
    pub predictors: attache_core::outcome::Registry,
}

impl Config {
    pub fn new(data_dir: PathBuf) -> Config {
        Config {
            data_dir,
            tls: false,
            request_timeout: Duration::from_secs(30),
            secrets_dir: None,
            statement_keys: Vec::new(),
            work: work::WorkLimits::default(),
            engine: None,
            predictors: attache_core::outcome::Registry::new(),
        }
    }
}

/// Largest request body accepted (forms and JSON).
pub const BODY_LIMIT: usize = 1 << 20;

/// The one route table.
pub fn router(state: AppState) -> Router {
    let timeout = state.config.request_timeout;
    // The API's routes: path and method from each handler's OpenAPI declaration.
    let api = api::routes()
        .into_iter()
        .fold(Router::new(), |r, (path, method)| r.route(&path, method));
    Router::new()
        // Pages
        .route("/", get(pages::home::page))
        .route("/compare", get(pages::compare::page))
        .route("/country", get(pages::country::search))
        .route("/country/{iso3}", get(pages::country::page))
        .route("/climate", get(pages::climate::explorer::page))
        .route("/climate/warming", get(pages::climate::warming::page))
        .route("/climate/countries", get(pages::climate::countries::page))
        .route(
            "/climate/country/{iso3}",
            get(pages::climate::country::page),
        )
        .route("/climate/blocs", get(pages::climate::blocs::page))
        .route("/epidemic", get(pages::epidemic::page))
        .route("/trade", get(pages::trade::page))
        .route("/trade/gaps", get(pages::trade::gaps_page))
        .route("/trade/country/{code}", get(pages::trade::country_page))
        .route("/sdg", get(pages::indices::sdg_page))
        .route("/sdg/country/{code}", get(pages::indices::sdg_country_page))
        .route(
            "/sdg/country/{code}/indicators",
            get(pages::indices::sdg_indicators_page),
        )
        .route("/negotiate", get(pages::negotiation::list))
        .route("/votes/power", get(pages::negotiation::power_page))
        .route("/votes/agreement", get(pages::negotiation::agreement_page))
        .route("/negotiate/{id}", get(pages::negotiation::tracker_page))
        .route("/negotiate/{id}/position", post(pages::negotiation::change))
        .route(
            "/negotiate/{id}/proposal",
            get(pages::negotiation::proposal_page),
        )
        .route("/risk", get(pages::indices::risk_page))
        .route(
            "/risk/country/{code}",
            get(pages::indices::risk_country_page),
        )
        .route("/risk/region/asean-japan", get(pages::indices::region_page))
        .route("/events", get(pages::events::page))
        .route("/alerts", get(pages::alerts::list))
        .route("/alerts.atom", get(pages::alerts::atom))
        .route("/alerts/{id}", get(pages::alerts::one))
        .route("/alerts/{id}/state", post(pages::alerts::change))
        .route("/sources", get(pages::sources::page))
        .route("/methodology", get(pages::methodology::page))
        .route("/login", get(pages::login::form).post(pages::login::submit))
        .route("/logout", post(pages::login::logout))
        .route(
            "/briefs",
            get(pages::briefs::list).post(pages::briefs::create),
        )
        .route("/briefs/new", get(pages::briefs::new_form))
        .route("/briefs/predict", post(pages::briefs::climate_predict))
        .route("/briefs/{id}", get(pages::briefs::show))
        .route("/briefs/{id}/predict", post(pages::brief_outcomes::predict))
        .route("/briefs/{id}/submit", post(pages::briefs::submit))
        .route("/briefs/{id}/decision", post(pages::briefs::decide))
        .route("/briefs/{id}/export", get(pages::briefs::export))
        .route(
            "/verify",
            get(pages::verify::page)
                .post(pages::verify::check)
                .layer(DefaultBodyLimit::max(pages::verify::UPLOAD_LIMIT)),
        )
        .route("/admin/users", get(pages::admin::users))
        .route("/admin/audit", get(pages::admin::audit))
        .route("/static/{file}", get(pages::assets::file))
        .route(
            "/healthz",
            get(
                |State(state): State<AppState>,
                 fresh: Option<
                    axum::Extension<std::sync::Arc<attache_store::freshness::Freshness>>,
                >| async move {
                    axum::Json(views::jobs::health(
                        &state,
                        fresh.as_deref().map(|f| f.as_ref()),
                    ))
                },
            ),
        )
        .merge(api)
        .fallback(error::fallback)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            freshness::headers,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .with_state(state)
}

/// Serves until Ctrl-C. `on_listen` learns the bound address (port 0 picks a free one).
pub async fn serve(
    config: Config,
    addr: SocketAddr,
    on_listen: impl FnOnce(SocketAddr),
) -> Result<(), ServerError> {
    let state = AppState::open(config)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServerError::Bind { addr, error: e })?;
    let local = listener
        .local_addr()
        .map_err(|e| ServerError::Bind { addr, error: e })?;
    on_listen(local);
    let sweeper = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(10));
        loop {
            tick.tick().await;
            sweeper.sweep();
        }
    });
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| ServerError::Bind { addr, error: e })
}
