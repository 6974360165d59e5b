//! The page layout (maud: every interpolation is HTML-escaped) and small shared fragments.

use maud::{DOCTYPE, Markup, html};

use crate::auth::Viewer;

/// Shown wherever a forecast number is.
pub const REFERENCE_NOTE: &str =
    "Reference forecast: the system advises, a person decides. Intervals show the uncertainty.";

/// A full page with navigation and the viewer's sign-in state.
pub fn page(title: &str, viewer: &Viewer, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — Attaché" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "Attaché" }
                    nav {
                        a href="/" { "Risk map" }
                        a href="/climate" { "Climate" }
                        a href="/epidemic" { "Epidemic" }
                        a href="/trade" { "Trade" }
                        a href="/sdg" { "SDGs" }
                        a href="/risk" { "Disaster risk" }
                        a href="/negotiate" { "Negotiations" }
                        a href="/alerts" { "Alerts" }
                        a href="/sources" { "Sources" }
                        a href="/methodology" { "Methodology" }
                        a href="/briefs" { "Briefs" }
                        @if viewer.principal.is_admin() { a href="/admin/users" { "Users" } a href="/admin/audit" { "Audit" } }
                    }
                    form.country-search role="search" method="get" action="/country" {
                        label for="country-q" { "Country" }
                        input #country-q type="search" name="q" placeholder="name or code" required autocomplete="off";
                        button type="submit" { "Go" }
                    }
                    div.who {
                        @if viewer.is_signed_in() {
                            span #who { (viewer.principal.name) " (" (viewer.principal.role) ", " (viewer.principal.clearance) ")" }
                            form method="post" action="/logout" {
                                input type="hidden" name="csrf" value=(viewer.csrf_token().unwrap_or(""));
                                button type="submit" { "Sign out" }
                            }
                        } @else {
                            a #who href="/login" { "Sign in" }
                        }
                    }
                }
                @if let Some(warning) = viewer.freshness.as_ref().and_then(|f| f.warning()) {
                    p.stale role="status" { strong { "Old data. " } (warning) }
                }
                main #main tabindex="-1" { (body) }
                footer {
                    @if let Some(f) = &viewer.freshness {
                        p.age { (f.summary()) " " a href="/sources" { "Sources and their update intervals" } }
                    }
                    p { "Attaché — open-source decision support. Numbers trace to the data vintage named on each page." }
                }
            }
        }
    }
}

/// A page without a viewer (errors).
pub fn bare(title: &str, body: Markup) -> Markup {
    page(title, &Viewer::anonymous(), body)
}

/// The "reference only" banner.
pub fn reference_banner() -> Markup {
    html! { p.reference role="note" { (REFERENCE_NOTE) } }
}

/// Links to this view's permalink and downloads.
pub fn view_links(permalink: &str) -> Markup {
    let sep = if permalink.contains('?') { '&' } else { '?' };
    html! {
        p.view-links {
            a.permalink href=(permalink) { "Permalink" }
            " · Download: "
            a.download data-format="csv" href={(permalink) (sep) "format=csv"} { "CSV" } " "
            a.download data-format="json" href={(permalink) (sep) "format=json"} { "JSON" } " "
            a.download data-format="parquet" href={(permalink) (sep) "format=parquet"} { "Parquet" }
        }
    }
}

/// The sources among `ids` in the vintage's lockfile with their publishers, licences and lags,
/// then a link to all sources followed by `more` (further links). Nothing without a lockfile.
pub fn sources_table(
    lock: Option<&attache_store::Lockfile>,
    ids: &[attache_core::SourceId],
    more: Markup,
) -> Markup {
    html! {
        @if let Some(l) = lock {
            (scrolling("Sources of these numbers", html! {
                table.sources {
                    thead { tr { th { "Source" } th { "Publisher" } th { "Licence" } th { "Published with a lag of" } } }
                    tbody {
                        @for s in l.sources.iter().filter(|s| ids.iter().any(|id| *id == s.id)) {
                            tr { td { (s.title) } td { (s.publisher) } td.licence { (s.licence) } td { (s.publication_lag) } }
                        }
                    }
                }
            }))
            p { a href="/sources" { "All sources, files and checksums" } (more) }
        }
    }
}

/// A wide table in its own horizontally scrolling region (focusable and labelled, so a
/// keyboard can scroll it), so a phone's page does not overflow.
/// A page's short "how to read this": closed by default, the same words for every reader.
pub fn how_to_read(points: &[&str]) -> Markup {
    html! {
        details.how-to-read {
            summary { "How to read this page" }
            ul { @for p in points { li { (p) } } }
        }
    }
}

pub fn scrolling(label: &str, content: Markup) -> Markup {
    html! { div.table-scroll tabindex="0" role="region" aria-label=(label) { (content) } }
}

/// A probability as a whole percentage ("<1%" / ">99%" at the ends).
pub fn percent(p: f64) -> String {
    if !p.is_finite() {
        return "n/a".into();
    }
    let x = p * 100.0;
    if x > 0.0 && x < 0.5 {
        "<1%".into()
    } else if (99.5..100.0).contains(&x) {
        ">99%".into()
    } else {
        format!("{x:.0}%")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn percents() {
        for (p, s) in [
            (0.0, "0%"),
            (0.001, "<1%"),
            (0.42, "42%"),
            (0.999, ">99%"),
            (1.0, "100%"),
            (f64::NAN, "n/a"),
        ] {
            assert_eq!(super::percent(p), s, "{p}");
        }
    }
}
