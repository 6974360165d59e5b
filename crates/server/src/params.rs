//! Query parameters: extracted as text, then parsed here with messages that name the parameter
//! and the value, so a malformed URL gets a 400 (JSON on the API, HTML on pages), never a 500.

use std::collections::HashMap;

use attache_core::MonthId;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

use crate::error::{ApiError, AppError};

/// Largest ensemble an anonymous request may ask for.
pub const ANON_MAX_ENSEMBLE: usize = 100;

/// The raw query string as name → value (repeated names: the last wins).
#[derive(Debug, Default, Clone)]
pub struct Params(pub HashMap<String, String>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| Params(q))
            .map_err(|e| AppError::BadRequest(format!("malformed query string: {}", e.body_text())))
    }
}

/// [`Params`] on an API route (errors as JSON).
#[derive(Debug, Default, Clone)]
pub struct ApiParams(pub Params);

impl<S: Send + Sync> FromRequestParts<S> for ApiParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Params::from_request_parts(parts, state)
            .await
            .map(ApiParams)
            .map_err(ApiError)
    }
}

/// How a view is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Csv,
    Json,
    Parquet,
}

impl Format {
    /// A table view's formats: the page and its three downloads.
    pub const TABLE: [Format; 4] = [Format::Html, Format::Csv, Format::Json, Format::Parquet];

    pub fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Parquet => "parquet",
        }
    }
}

/// A page of a list: `page` and `per_page` (the API documents them from this type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Page number, from 1.
    #[param(required = false, minimum = 1, maximum = 1000000)]
    pub page: usize,
    /// Items per page (at most 1000; each list has its own default).
    #[param(required = false, minimum = 1, maximum = 1000)]
    pub per_page: usize,
}

impl Page {
    pub const MAX_PER_PAGE: usize = 1000;

    pub fn offset(self) -> usize {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// This page's slice of `items`.
    pub fn slice<T>(self, items: &[T]) -> &[T] {
        let start = self.offset().min(items.len());
        let end = start.saturating_add(self.per_page).min(items.len());
        &items[start..end]
    }
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }

    /// `as_of=YYYY-MM`.
    pub fn as_of(&self) -> Result<Option<MonthId>, AppError> {
        match self.get("as_of") {
            None => Ok(None),
            Some(s) => MonthId::parse_ym(s).map(Some).map_err(|e| {
                AppError::BadRequest(format!("as_of={s:?}: expected a month as YYYY-MM ({e})"))
            }),
        }
    }

    /// A table view's parameters: only `known` ones, and `format` among HTML (the default),
    /// CSV, JSON and Parquet: the preamble of every page whose table is also a download.
    pub fn view(&self, known: &[&str]) -> Result<Format, AppError> {
        self.only(known)?;
        self.format(Format::Html, &Format::TABLE)
    }

    /// `format=...` among `allowed`; `default` when absent.
    pub fn format(&self, default: Format, allowed: &[Format]) -> Result<Format, AppError> {
        let Some(s) = self.get("format") else {
            return Ok(default);
        };
        allowed
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "format={s:?}: expected one of {}",
                    allowed
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }

    /// `page` (from 1) and `per_page` (1..=1000).
    pub fn page(&self, default_per_page: usize) -> Result<Page, AppError> {
        let num = |name: &str, default: usize, max: usize| -> Result<usize, AppError> {
            match self.get(name) {
                None => Ok(default),
                Some(s) => match s.parse::<usize>() {
                    Ok(n) if (1..=max).contains(&n) => Ok(n),
                    _ => Err(AppError::BadRequest(format!(
                        "{name}={s:?}: expected a whole number from 1 to {max}"
                    ))),
                },
            }
        };
        Ok(Page {
            page: num("page", 1, 1_000_000)?,
            per_page: num("per_page", default_per_page, Page::MAX_PER_PAGE)?,
        })
    }

    /// A whole number parameter within `range`.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, AppError> {
        match self.get(name) {
            None => Ok(default),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(AppError::BadRequest(format!(
                    "{name}={s:?}: expected a whole number from {} to {}",
                    range.start(),
                    range.end()
                ))),
            },
        }
    }

    /// An ensemble size: up to `max` when signed in, up to [`ANON_MAX_ENSEMBLE`] otherwise
    /// (anonymous traffic must not be able to buy the pool's time in bulk).
    pub fn ensemble(
        &self,
        viewer: &crate::auth::Viewer,
        default: usize,
        max: usize,
    ) -> Result<usize, AppError> {
        let n = self.number("ensemble", default, 0..=max)?;
        if !viewer.is_signed_in() && n > ANON_MAX_ENSEMBLE {
            return Err(AppError::BadRequest(format!(
                "ensemble={n}: without signing in a view may ask for at most {ANON_MAX_ENSEMBLE} ensemble members (signed in: {max})"
            )));
        }
        Ok(n)
    }

    /// Refuses query parameters that the API operation `P` does not document: what a handler
    /// accepts and what `/api/v1/openapi.json` lists are one declaration, its
    /// `#[utoipa::path(params(...))]`.
    pub fn only_documented<P: utoipa::Path>(&self) -> Result<(), AppError> {
        let names = documented::<P>();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.only(&names)
    }

    /// Refuses parameters the view does not know (a typo must not silently show something else).
    pub fn only(&self, known: &[&str]) -> Result<(), AppError> {
        let mut unknown: Vec<&str> = self
            .0
            .keys()
            .map(String::as_str)
            .filter(|k| !known.contains(k))
            .collect();
        unknown.sort();
        match unknown.first() {
            None => Ok(()),
            Some(k) => Err(AppError::BadRequest(format!(
                "unknown parameter {k:?}; this view takes {}",
                known.join(", ")
            ))),
        }
    }
}

/// The query parameter names the API operation `P` documents.
pub fn documented<P: utoipa::Path>() -> Vec<String> {
    P::operation()
        .parameters
        .unwrap_or_default()
        .into_iter()
        .filter(|p| p.parameter_in == utoipa::openapi::path::ParameterIn::Query)
        .map(|p| p.name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &[(&str, &str)]) -> Params {
        Params(
            q.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    fn check(q: &[(&str, &str)], expect: &str) {
        let p = params(q);
        let got = match (
            p.as_of(),
            p.format(Format::Html, &[Format::Html, Format::Csv]),
            p.page(50),
        ) {
            (Ok(a), Ok(f), Ok(pg)) => format!(
                "as_of={:?} format={} page={}x{}",
                a.map(|m| m.to_string()),
                f.name(),
                pg.page,
                pg.per_page
            ),
            (a, f, pg) => [a.err(), f.err(), pg.err()]
                .into_iter()
                .flatten()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        };
        assert_eq!(got, expect);
    }

    #[test]
    fn parsing() {
        check(&[], "as_of=None format=html page=1x50");
        check(
            &[
                ("as_of", "2024-10"),
                ("format", "csv"),
                ("page", "2"),
                ("per_page", "10"),
            ],
            "as_of=Some(\"2024-10\") format=csv page=2x10",
        );
        check(
            &[("format", "xml")],
            "format=\"xml\": expected one of html, csv",
        );
        check(
            &[("page", "0")],
            "page=\"0\": expected a whole number from 1 to 1000000",
        );
        check(
            &[("per_page", "5000")],
            "per_page=\"5000\": expected a whole number from 1 to 1000",
        );
        check(
            &[("page", "-1")],
            "page=\"-1\": expected a whole number from 1 to 1000000",
        );
        assert!(
            params(&[("as_of", "2024-13")])
                .as_of()
                .unwrap_err()
                .to_string()
                .starts_with("as_of=\"2024-13\"")
        );
        assert!(params(&[("as_of", "yesterday")]).as_of().is_err());
    }

    #[test]
    fn slices() {
        let v: Vec<u32> = (0..25).collect();
        assert_eq!(
            Page {
                page: 3,
                per_page: 10
            }
            .slice(&v),
            &[20, 21, 22, 23, 24]
        );
        assert!(
            Page {
                page: 9,
                per_page: 10
            }
            .slice(&v)
            .is_empty()
        );
        assert!(
            Page {
                page: usize::MAX,
                per_page: 1000
            }
            .slice(&v)
            .is_empty()
        );
    }
}
