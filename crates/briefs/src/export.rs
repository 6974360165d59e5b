//! The printable export of a brief: one self-contained HTML page (inline CSS, no scripts, no
//! external resources) with the question, evidence, options and their predicted outcomes, the
//! decision and the history, under a classification banner at the top and bottom (repeated on
//! every printed page). Machine-written text is labelled as such. Print it to PDF from a browser.
//!
//! [`Briefs::export_html`] shows only what the principal may read and records every export in
//! the audit log; [`render_html`] is the pure rendering.

use attache_accounts::{Clearance, Principal};
use attache_audit::{Action, AuditEvent};
use attache_core::outcome::{PointKind, PredictedOutcome, REFERENCE_LABEL, format_value};
use jiff::Timestamp;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::audit::{brief_object, classification};
use crate::model::{Brief, Decision, Evidence, Text};
use crate::{Briefs, BriefsError, actor};

const CSS: &str = r#"
:root { color-scheme: light; }
body { font: 11pt/1.45 Georgia, "Times New Roman", serif; color: #111; max-width: 52rem; margin: 0 auto; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin: 1rem 0 .3rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #999; margin-top: 1.6rem; }
h3 { font-size: 1rem; margin-bottom: .2rem; }
.banner { text-align: center; font: bold 11pt/1.8 Arial, Helvetica, sans-serif; letter-spacing: .2em; color: #fff; padding: .1rem 0; }
.banner.public { background: #2e7d32; } .banner.restricted { background: #1565c0; }
.banner.confidential { background: #c62828; } .banner.secret { background: #6a1b9a; }
.meta { font: 9.5pt/1.4 Arial, Helvetica, sans-serif; color: #333; border-collapse: collapse; }
.meta th { text-align: left; padding-right: 1rem; font-weight: normal; color: #666; }
.note { font: 9.5pt/1.4 Arial, Helvetica, sans-serif; border: 1px solid #bbb; background: #f6f6f6; padding: .4rem .6rem; }
.machine { border-left: 3px solid #888; padding-left: .6rem; }
.who { font: italic 8.5pt Arial, Helvetica, sans-serif; color: #555; }
.option { border: 1px solid #ccc; padding: .3rem .8rem .6rem; margin: .8rem 0; page-break-inside: avoid; }
.option.chosen { border: 2px solid #111; }
.flag { color: #b00020; font-weight: bold; }
table.pred { border-collapse: collapse; width: 100%; font: 9pt/1.35 Arial, Helvetica, sans-serif; margin: .4rem 0; }
table.pred th, table.pred td { border: 1px solid #ccc; padding: .2rem .35rem; vertical-align: top; text-align: left; }
.prewrap { white-space: pre-wrap; }
footer { font: 8.5pt Arial, Helvetica, sans-serif; color: #555; margin: 1.5rem 0 .5rem; }
@media print {
  body { max-width: none; padding: 0; }
  .banner { position: fixed; left: 0; right: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .banner.top { top: 0; } .banner.bottom { bottom: 0; }
  main { margin: 2.2rem 0; }
  @page { margin: 14mm 12mm; }
}
"#;

impl Briefs {
    /// The printable HTML of brief `id` as `p` may see it (documents above `p` are left out).
    /// `NotFound` exactly when [`Briefs::get`] would be. Every export is recorded in the audit
    /// log (action `export`) before the page is returned.
    pub fn export_html(&self, p: &Principal, id: i64) -> Result<String, BriefsError> {
        let row = self.visible_row(p, id, "export")?;
        let brief = self.assemble(p, &row)?;
        let now = (self.clock)();
        let event = AuditEvent::new(actor(p), Action::EXPORT)
            .on(&brief_object(id), classification(row.classification))
            .detail("format", "html");
        self.audit(&event, "recording an export", false)?;
        Ok(render_html(&brief, actor(p), now))
    }
}

fn banner(level: Clearance, place: &str) -> Markup {
    html! { div class={ "banner " (place) " " (level.as_str()) } role="note" { (level.as_str().to_uppercase()) } }
}

fn text_block(t: &Text) -> Markup {
    html! {
        div class=@if t.author.is_machine() { "machine" } @else { "person" } {
            div class="prewrap" { (t.body) }
            div class="who" { (t.author.label()) }
        }
    }
}

fn value(o: &PredictedOutcome, v: f64) -> String {
    format_value(v, o.point_kind)
}

/// One predicted outcome as a table: what, scenario, horizon, unit, point, intervals,
/// quantiles, assumptions, model and data vintage, novelty, label. The export and the web
/// page on which a person decides show this one table.
pub fn prediction(o: &PredictedOutcome) -> Markup {
    html! {
        table class="pred machine" {
            tr { th { "Predicted" } td { (o.description) } }
            tr { th { "Scenario" } td { (o.scenario) } }
            tr { th { "Horizon" } td { (o.horizon) } }
            @if o.point_kind != PointKind::Probability { tr { th { "Unit" } td { (o.unit) } } }
            tr { th { (o.point_kind.as_str()) } td { strong { (value(o, o.point)) } } }
            @for i in o.intervals() {
                tr { th { (format!("{:.0}% interval", i.probability * 100.0)) } td { (value(o, i.low)) " to " (value(o, i.high)) } }
            }
            @if !o.quantiles.is_empty() {
                tr { th { "Quantiles" } td {
                    (o.quantiles.iter().map(|q| format!("{:.0}%: {}", q.level * 100.0, format_value(q.value, o.point_kind))).collect::<Vec<_>>().join(" · "))
                } }
            }
            tr { th { "Assumptions" } td { ul { @for a in &o.assumptions { li { (a) } } } } }
            tr { th { "Model" } td { (o.model) " · data " (o.data_vintage) } }
            tr { th { "Novelty" } td {
                @if o.novelty.is_flagged() { span class="flag" { "Out of distribution. " } }
                (o.novelty.status.as_str()) @if !o.novelty.note.is_empty() { ": " (o.novelty.note) }
            } }
            tr { th { "Label" } td { "Machine-written; " (o.label) } }
        }
    }
}

/// One evidence item: kind and title (as heading `h`), its text, source, data vintage, model
/// and who added it when. Shared by the export and the web page.
pub fn evidence(e: &Evidence, h: &str) -> Markup {
    let head = html! { "[" (e.item.kind) "] " (e.item.title) };
    html! {
        @match h { "h4" => h4 { (head) }, _ => h3 { (head) } }
        (text_block(&e.item.summary))
        p class="who" {
            "Source: " (e.item.source) " · data vintage " (e.item.data_vintage)
            @if let Some(m) = &e.item.model { " · model " (m) }
            " · added by " (e.added_by) " on " (when(e.added_at))
        }
    }
}

fn when(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M UTC").to_string()
}

/// The export page of a brief (pure: no access checks, no audit).
pub fn render_html(b: &Brief, exported_by: &str, exported_at: Timestamp) -> String {
    let chosen = match b.decision.as_ref().map(|d| d.decision) {
        Some(Decision::Choose { option_index }) => Some(option_index),
        _ => None,
    };
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="referrer" content="no-referrer";
                title { (b.classification.as_str().to_uppercase()) " · Brief " (b.id) ": " (b.title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                (banner(b.classification, "top"))
                main {
                    h1 { (b.title) }
                    table class="meta" {
                        tr { th { "Brief" } td { "#" (b.id) " · revision " (b.revision) } }
                        tr { th { "Classification" } td { (b.classification.as_str()) } }
                        tr { th { "State" } td { (b.state.as_str()) } }
                        tr { th { "Created" } td { (when(b.created_at)) " by " (b.created_by) } }
                        @if let Some(a) = b.amends { tr { th { "Amends" } td { "brief #" (a) } } }
                        @if !b.amended_by.is_empty() {
                            tr { th { "Amended by" } td { (b.amended_by.iter().map(|i| format!("brief #{i}")).collect::<Vec<_>>().join(", ")) } }
                        }
                    }
                    p class="note" {
                        "Predictions are for reference (" (REFERENCE_LABEL)
                        "). Text marked “machine-written” was produced by a model, not by a person."
                    }
                    h2 { "Question" }
                    div class="prewrap" { (b.question) }
                    h2 { "Evidence" }
                    @if b.evidence.is_empty() { p { "No evidence attached." } }
                    @for e in &b.evidence { (evidence(e, "h3")) }
                    h2 { "Options" }
                    @for (i, o) in b.options.iter().enumerate() {
                        div class=@if chosen == Some(i) { "option chosen" } @else { "option" } {
                            h3 { "Option " (i + 1) ": " (o.title) @if chosen == Some(i) { " — chosen" } }
                            @if !o.summary.body.is_empty() { (text_block(&o.summary)) }
                            @if o.predictions.is_empty() { p class="who" { "No predicted outcomes attached." } }
                            @for pr in &o.predictions { (prediction(pr)) }
                        }
                    }
                    h2 { "Decision" }
                    @match &b.decision {
                        Some(d) => {
                            p { strong {
                                @match d.decision {
                                    Decision::Choose { option_index } => {
                                        "Option " (option_index + 1) " chosen: "
                                        (b.options.get(option_index).map(|o| o.title.as_str()).unwrap_or("?"))
                                    }
                                    Decision::RejectAll => "All options rejected.",
                                }
                            } }
                            h3 { "Rationale" }
                            div class="prewrap person" { (d.rationale) }
                            p class="who" { "Decided by " (d.decided_by) " on " (when(d.decided_at)) }
                        }
                        None => p { "No decision recorded (state: " (b.state.as_str()) ")." }
                    }
                    @if !b.documents.is_empty() {
                        h2 { "Attached documents" }
                        ul { @for d in &b.documents {
                            li { (d.name) " (" (d.media_type) ", " (d.size) " bytes, " (d.classification.as_str()) ")" }
                        } }
                    }
                    h2 { "History" }
                    ul { @for t in &b.history {
                        li { (when(t.at)) ": "
                            @if let Some(f) = t.from { (f.as_str()) " → " }
                            (t.to.as_str()) " by " (t.by) }
                    } }
                    footer { "Exported from Attaché by " (exported_by) " on " (when(exported_at)) ". " (b.classification.as_str().to_uppercase()) "." }
                }
                (banner(b.classification, "bottom"))
            }
        }
    };
    page.into_string()
}
