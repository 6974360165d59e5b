//! `/negotiate` (the negotiations), `/negotiate/{id}` (the positions matrix, every cited
//! position, the history of edits and, for analysts and diplomats, the form that edits a
//! position), `POST /negotiate/{id}/position` (the edit and its audit entry commit together)
//! and `/negotiate/{id}/proposal` (the settlement proposals with their criteria in words, the
//! packages' table and a sensitivity sweep), and `/votes/power` (the voting-power calculator,
//! what-if a member leaves, smallest winning coalitions) and `/votes/agreement` (the coalition
//! map: agreement with one state in UN votes). The view is `views::negotiation`.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use attache_negotiation::Explain;
use attache_negotiation::tracker::Tracker;

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::{how_to_read, page as layout, scrolling, view_links};
use crate::params::{Format, Params};
use crate::views::negotiation::{
    KNOWN_AGREEMENT, KNOWN_POWER, KNOWN_PROPOSAL, KNOWN_TRACKER, PositionEdit, ProposalQuery,
    agreement, agreement_table, current, edit, positions_table, power, power_table, preferred,
    proposal_table, proposals, seeds,
};

fn can_edit(v: &Viewer) -> bool {
    crate::pages::briefs::can_author(v) || (v.is_signed_in() && v.principal.is_admin())
}

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

pub async fn list(viewer: Viewer, params: Params) -> Result<Response, AppError> {
    params.only(&[])?;
    let body = html! {
        h1 { "Negotiations" }
        p { "Who stands where on each issue, with the public source of every position; the settlement proposals those positions support, each with its criterion in words. The system proposes; people negotiate." }
        ul { @for t in seeds() { li { a href={"/negotiate/" (t.id)} { (t.title) } " — " (t.issues.len()) " issues, " (t.actors.len()) " actors" } } }
        p { a href="/votes/power" { "Voting-power calculator" } }
    };
    Ok(Html(layout("Negotiations", &viewer, body).into_string()).into_response())
}

/// Actors down, issues across: each cell the actor's preferred option, its weight and a red
/// line mark.
fn matrix(t: &Tracker) -> Markup {
    html! {
        (scrolling("Positions matrix", html! { table #positions-matrix {
            caption { "Preferred option per actor and issue (weight in brackets; ⛔ a red line on some option)." }
            thead { tr { th scope="col" { "Actor" } th scope="col" { "Kind" } @for i in &t.issues { th scope="col" { (i.name) } } } }
            tbody { @for a in &t.actors { tr data-actor=(a.key) {
                th scope="row" { (a.name) @if a.party { " " span.small { "(party)" } } }
                td { (a.kind.label()) }
                @for i in &t.issues { td data-issue=(i.key) { @match t.position(&a.key, &i.key) {
                    Some(p) => { (preferred(p, i)) " (" (p.weight) ")" @if !p.red_lines.is_empty() { " ⛔" } },
                    None => { span.small { "not stated" } },
                } } }
            } } }
        } }))
    }
}

pub async fn tracker_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_TRACKER)?;
    let c = current(&state, &id).await?;
    let t = &c.tracker;
    if format != Format::Html {
        return positions_table(t, c.version.as_ref()).respond(format);
    }
    let may_edit = can_edit(&viewer);
    let body = html! {
        h1 { (t.title) }
        p { (t.description) }
        (how_to_read(&[
            "Each row is an actor; each column an issue. A cell shows the option the actor supports most and, in brackets, how much that issue weighs for it (0-100).",
            "Support scores (0 to 1 per option) and weights are an analyst's coding of the cited public statement: a starting point to argue over and edit, not a fact.",
            "The proposal page turns these positions into packages and proposes one by a stated fairness criterion.",
        ]))
        p.reference role="note" {
            @match &c.version { Some(v) => { "Version " (v.seq) ", edited " (v.at) " by " (v.by) "." }, None => { "The seeded version: not edited yet." } }
            " " a href={"/negotiate/" (t.id) "/proposal"} { "Proposals from these positions" }
        }
        h2 { "Issues" }
        ol #issues { @for i in &t.issues { li { strong { (i.name) } " (" code { (i.key) } "): "
            @for (k, o) in i.options.iter().enumerate() { (k + 1) ". " (o) @if k == i.status_quo { " [status quo]" } @if k + 1 < i.options.len() { "; " } }
        } } }
        h2 { "Who stands where" }
        (matrix(t))
        h2 { "Every position and its source" }
        (scrolling("Positions", html! { table #positions.sortable {
            caption { "Support per option in the issue's order (0 opposes, 1 preferred), weight, red lines and the record each coding rests on." }
            thead { tr { th scope="col" { "Actor" } th scope="col" { "Issue" } th scope="col" { "Support" } th scope="col" { "Weight" } th scope="col" { "Red lines" } th scope="col" { "Source" } th scope="col" { "Date" } } }
            tbody { @for a in &t.actors { @for i in &t.issues { @if let Some(p) = t.position(&a.key, &i.key) {
                tr data-actor=(a.key) data-issue=(i.key) {
                    th scope="row" { (a.name) }
                    td { (i.name) }
                    td.support { (p.support.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" / ")) }
                    td.num.weight { (p.weight) }
                    td { (p.red_lines.iter().map(|r| i.options[*r].clone()).collect::<Vec<_>>().join("; ")) }
                    td.small { (p.source) }
                    td { (p.date) }
                }
            } } } }
        } }))
        (view_links(&format!("/negotiate/{}", t.id)))
        @if may_edit {
            h2 { "Edit a position" }
            form #position-form method="post" action={"/negotiate/" (t.id) "/position"} {
                input type="hidden" name="csrf" value=(viewer.csrf_token().unwrap_or(""));
                p { label for="pf-actor" { "Actor" } br; select #pf-actor name="actor" { @for a in &t.actors { option value=(a.key) { (a.name) } } } }
                p { label for="pf-issue" { "Issue" } br; select #pf-issue name="issue" { @for i in &t.issues { option value=(i.key) { (i.name) } } } }
                p { label for="pf-support" { "Support per option, comma-separated, 0 to 1, in the issue's order" } br; input #pf-support name="support" type="text" required placeholder="0, 0.5, 1"; }
                p { label for="pf-weight" { "Weight (0-100)" } br; input #pf-weight name="weight" type="number" min="0" max="100" step="any" required; }
                p { label for="pf-red" { "Red lines: option numbers rejected outright, comma-separated (may be empty)" } br; input #pf-red name="red_lines" type="text"; }
                p { label for="pf-source" { "Source (the public record)" } br; input #pf-source name="source" type="text" required size="60"; }
                p { label for="pf-date" { "Date of the source" } br; input #pf-date name="date" type="date" required; }
                p { label for="pf-note" { "Why (required; goes on the audit record)" } br; textarea #pf-note name="note" rows="2" cols="60" required {} }
                button type="submit" { "Save the position" }
                p.small { "The edit and its audit entry are stored together, with your name." }
            }
        } @else {
            p.small { a href={"/login?next=" (crate::views::enc(&format!("/negotiate/{}", t.id)))} { "Sign in" } " as an analyst or diplomat to edit positions." }
        }
        h2 { "History" }
        @if c.history.is_empty() { p #tracker-history-none { "No edits yet." } } @else {
            (scrolling("History", html! { table #tracker-history {
                thead { tr { th scope="col" { "Version" } th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "Change" } th scope="col" { "Why" } } }
                tbody { @for v in c.history.iter().rev() { tr { td.num { (v.seq) } td { (v.at) } td { (v.by) } td { (v.change) } td { (v.note) } } } }
            } }))
        }
        p { a href="/negotiate" { "All negotiations" } }
    };
    Ok(Html(layout(&t.title, &viewer, body).into_string()).into_response())
}

#[derive(Debug, Deserialize)]
pub struct PositionForm {
    csrf: String,
    #[serde(flatten)]
    edit: PositionEdit,
}

pub async fn change(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Result<Form<PositionForm>, FormRejection>,
) -> Result<Response, AppError> {
    let Form(f) = form.map_err(|e| AppError::from_body(e.status(), e.body_text()))?;
    viewer.check_csrf(&f.csrf)?;
    if !viewer.is_signed_in() {
        return Err(AppError::Unauthorized);
    }
    if !can_edit(&viewer) {
        return Err(AppError::Forbidden(
            "only analysts, diplomats and admins edit positions".into(),
        ));
    }
    edit(
        &state,
        &id,
        &viewer.principal.name,
        &crate::views::now_utc(),
        f.edit,
    )
    .await?;
    Ok(Redirect::to(&format!("/negotiate/{id}")).into_response())
}

pub async fn proposal_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_PROPOSAL)?;
    let c = current(&state, &id).await?;
    let t = &c.tracker;
    let q = ProposalQuery::parse(&params, t)?;
    let (p, sweep) = {
        let (t, q) = (t.clone(), q.clone());
        state.work.run(move || proposals(&t, &q)).await?
    };
    if format != Format::Html {
        return proposal_table(t, &q, &p).respond(format);
    }
    let name = |k: &str| t.actor(k).map_or(k.to_string(), |a| a.name.clone());
    let title = format!("Proposals: {}", t.title);
    let body = html! {
        h1 { (title) }
        (how_to_read(&[
            "A package picks one option on every issue. Each party's utility for a package adds up its support for the options picked, weighted by its priorities; the status quo is what it gets without agreement.",
            "The proposal is the package whose worst-off party gains most, each gain measured as a share of the most that party could gain (Smartsettle's 'maximise the minimum gain').",
            "Everything here follows from the coded positions: change a position and the proposal moves. It is a reference for negotiators, not a prediction of any vote.",
        ]))
        p.reference role="note" { "Reference computed from analysts' coding of public positions (" @match &c.version { Some(v) => { "version " (v.seq) }, None => "the seeded version" } "). People negotiate; the system proposes." }
        form #proposal-form method="get" action={"/negotiate/" (t.id) "/proposal"} {
            p { label for="pp-parties" { "Parties at the table (actor keys, comma-separated)" } br;
                input #pp-parties name="parties" type="text" size="50" value=(q.parties.join(",")); }
            p.small { "Actors: " (t.actors.iter().map(|a| format!("{} = {}", a.key, a.name)).collect::<Vec<_>>().join("; ")) }
            p { label for="pp-vary" { "Sensitivity: whose weight on which issue" } br;
                select #pp-vary name="vary" { @for x in &t.positions {
                    option value={(x.actor) ":" (x.issue)} selected[(x.actor.as_str(), x.issue.as_str()) == (q.vary.0.as_str(), q.vary.1.as_str())] { (name(&x.actor)) ", " (x.issue) }
                } } }
            button type="submit" { "Recompute" }
        }
        h2 { "The proposal" }
        @match &p.max_min {
            Some(m) => {
                p #proposal data-package=(m.package_name) { strong { (m.package_name) } }
                p #proposal-criterion { (m.explain()) }
                @if let Some(a) = p.acceptability() {
                    p #acceptability { "Predicted acceptability: " strong { (pct(a)) } " of the " (p.standings.len()) " actors with stated positions would be at least as well off as without agreement, by their coded positions." }
                }
            },
            None => { p #proposal-none { "No party can gain over the status quo from any package that respects the red lines: there is no proposal to make." } },
        }
        @if !p.holdouts.is_empty() {
            p #holdouts { "Holdouts: " (p.holdouts.iter().map(|h| name(h)).collect::<Vec<_>>().join(", ")) " prefer the status quo to every package that respects the red lines; no package can give them a gain, so the criterion is applied to the others and the table shows what each holdout would get." }
        }
        @if !p.excluded.is_empty() {
            p #excluded { (p.excluded.len()) " of " (p.excluded.len() + p.packages.len()) " packages cross a party's red line and are set aside." }
        }
        @if !p.standings.is_empty() {
            (scrolling("Standings", html! { table #standings {
                caption { "Each actor's utility under the proposal and under the status quo (0 to 1)." }
                thead { tr { th scope="col" { "Actor" } th scope="col" { "Party" } th scope="col" { "Proposal" } th scope="col" { "Status quo" } th scope="col" { "Better off or equal" } } }
                tbody { @for s in &p.standings { tr data-actor=(s.actor) {
                    th scope="row" { (name(&s.actor)) } td { @if s.party { "yes" } @else { "no" } }
                    td.num { (format!("{:.3}", s.utility)) } td.num { (format!("{:.3}", s.status_quo)) }
                    td { @if s.accepts { "yes" } @else { "no" } }
                } } }
            } }))
        }
        h2 { "Other criteria" }
        p #pareto { "Pareto frontier: " (p.pareto.packages.len()) " of " (p.packages.len()) " packages are Pareto-optimal (no other package is at least as good for every party and better for one); they are marked in the table below." }
        @if let Some(n) = &p.nash { p #nash { (n.explain()) " The point may lie between two packages (a mix, such as phasing one in)." } }
        @if let Some(k) = &p.kalai_smorodinsky { p #kalai-smorodinsky { (k.explain()) } }
        @if let Some(aw) = &p.adjusted_winner { p #adjusted-winner { "Adjusted Winner, taking every issue as divisible (each party's weights as 100 points): " (aw.explain()) } }
        @if p.parties.len() != 2 { p.small { "Nash, Kalai-Smorodinsky and Adjusted Winner are two-party rules: choose two parties to see them." } }
        h2 { "Sensitivity" }
        p { "How the proposal moves as " strong { (name(&q.vary.0)) } "'s weight on " strong { (t.issues.iter().find(|i| i.key == q.vary.1).map_or(q.vary.1.clone(), |i| i.name.clone())) } " runs from 0 to 100 (its other positions unchanged). Vary another with " code { "?vary=ACTOR:ISSUE" } "." }
        (scrolling("Sensitivity", html! { table #sensitivity {
            thead { tr { th scope="col" { "Weight" } th scope="col" { "Proposal" } th scope="col" { "Smallest gain" } } }
            tbody { @for s in &sweep { tr { td.num { (s.weight) } td { (s.package.clone().unwrap_or_else(|| "none".into())) } td.num { (s.min_gain.map_or("–".into(), pct)) } } } }
        } }))
        h2 { "All packages" }
        (scrolling("Packages", html! { table #packages.sortable {
            caption { "Every package that respects the parties' red lines: its smallest normalised gain and each party's utility." }
            thead { tr { th scope="col" { "Package" } th scope="col" { "Pareto-optimal" } th scope="col" { "Smallest gain" } @for party in &p.parties { th scope="col" { (party) } } } }
            tbody { @for (k, pk) in p.packages.iter().enumerate() { tr {
                th scope="row" { (pk.name) @if p.max_min.as_ref().is_some_and(|m| m.package == k) { " " strong { "(proposed)" } } }
                td { @if p.pareto.packages.contains(&k) { "yes" } @else { "no" } }
                td.num { (p.max_min.as_ref().map_or("–".into(), |m| format!("{:.3}", m.min_gain_by_package[k]))) }
                @for j in 0..p.parties.len() { td.num { (format!("{:.3}", p.utility[j][k])) } }
            } } }
        } }))
        (view_links(&q.permalink(&t.id)))
        p { a href={"/negotiate/" (t.id)} { "The positions" } " · " a href="/negotiate" { "All negotiations" } }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}

/// `/votes/power`: the voting-power calculator (the numbers of `attache votes power`).
pub async fn power_page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_POWER)?;
    let v = power(&state, &params).await?;
    if format != Format::Html {
        return power_table(&v).respond(format);
    }
    let get = |k: &str| params.get(k).unwrap_or("").to_string();
    let rows = v.power.rows();
    let body = html! {
        h1 { "Voting power" }
        (how_to_read(&[
            "A member's voting power is how often its vote decides the outcome, not how many votes it has: a member whose weight never turns a losing coalition into a winning one has none.",
            "Shapley-Shubik: the share of orderings of all members in which this member's vote completes a winning coalition. Banzhaf (normalised): this member's decisive swings as a share of all members' swings.",
            "Both are exact here (generating functions), not sampled.",
        ]))
        form #power-form method="get" action="/votes/power" {
            p { "Presets: " a href="/votes/power?game=unsc" { "UN Security Council" } " · " a href="/votes/power?game=eu-council" { "EU Council (qualified majority, populations of 1 January 2024)" } }
            p { label for="vp-quota" { "Quota (total weight a coalition needs)" } br; input #vp-quota name="quota" type="text" value=(get("quota")); }
            p { label for="vp-weights" { "Weights, comma-separated" } br; input #vp-weights name="weights" type="text" size="40" value=(get("weights")); }
            p { label for="vp-names" { "Names, comma-separated (optional)" } br; input #vp-names name="names" type="text" size="40" value=(get("names")); }
            button type="submit" { "Compute" }
        }
        p #game-rule { "Rule: " (v.game.describe()) "." }
        (scrolling("Voting power", html! { table #power.sortable {
            caption { "Exact voting power per member (" (v.power.method) ")." }
            thead { tr { th scope="col" { "Member" } th scope="col" { "Weight" } th scope="col" { "Shapley-Shubik" } th scope="col" { "Banzhaf" }
                @if v.without.is_some() { th scope="col" { "Shapley-Shubik after" } th scope="col" { "Banzhaf after" } }
                th scope="col" { "What if" } } }
            tbody { @for (i, r) in rows.iter().enumerate() { tr data-member=(r.member) {
                th scope="row" { (r.member) }
                td.num { @match &v.shown { Some(w) => { (w[i]) }, None => { (r.weight) } } }
                td.num { (format!("{:.5}", r.shapley_shubik)) }
                td.num { (format!("{:.5}", r.banzhaf)) }
                @if let Some((_, w)) = &v.without { @let c = w.changes.iter().find(|c| c.member == r.member);
                    td.num { (c.and_then(|c| c.shapley_shubik_after).map_or("left".into(), |x| format!("{x:.5}"))) }
                    td.num { (c.and_then(|c| c.banzhaf_after).map_or("left".into(), |x| format!("{x:.5}"))) }
                }
                td { a href={(v.permalink) "&without=" (crate::views::enc(r.member))} { "leaves" } " · " a href={(v.permalink) "&coalition=" (crate::views::enc(r.member))} { "coalitions" } }
            } } }
        } }))
        @if let Some((name, w)) = &v.without { p #what-if { (name) " leaves: " (w.explain()) } }
        @if let Some(c) = &v.coalitions {
            h2 { "Smallest winning coalitions with " (c.actor) }
            p #coalitions { (c.explain()) }
            @if !c.names.is_empty() { ol { @for names in &c.names { li { (names.join(", ")) } } } }
        }
        (view_links(&v.permalink))
        p { a href="/negotiate" { "Negotiations" } }
    };
    Ok(Html(layout("Voting power", &viewer, body).into_string()).into_response())
}

/// `/votes/agreement`: the coalition map, every state's agreement with one state in the UN
/// General Assembly in one year.
pub async fn agreement_page(
    State(state): State<AppState>,
    viewer: Viewer,
    params: Params,
) -> Result<Response, AppError> {
    let format = params.view(&KNOWN_AGREEMENT)?;
    let a = agreement(&state, &params).await?;
    if format != Format::Html {
        return agreement_table(&a).respond(format);
    }
    let cw = attache_core::Crosswalk::global();
    let name = |k: &str| cw.get(k).map_or(k.to_string(), |c| c.name.clone());
    let (mut values, mut tips) = (
        std::collections::HashMap::new(),
        std::collections::HashMap::new(),
    );
    for r in &a.rows {
        values.insert(r.b.clone(), 100.0 * r.score);
        tips.insert(
            r.b.clone(),
            format!(
                "{}: {:.0}% agreement over {} roll calls",
                name(&r.b),
                100.0 * r.score,
                r.roll_calls
            ),
        );
    }
    let map = crate::charts::map_svg(
        &state,
        "agreement-map",
        &format!(
            "Agreement with {} in UN General Assembly votes, {}",
            name(&a.with),
            a.year
        ),
        "Agreement (%)",
        values,
        tips,
        attache_viz::map::ColourScale::Continuous {
            lo: 0.0,
            hi: 100.0,
            palette: attache_viz::palette::Palette::RdBu,
        },
    );
    let title = format!("Who votes with {}", name(&a.with));
    let shown = 10.min(a.rows.len());
    let body = html! {
        h1 { (title) " (" (a.year) ")" }
        (how_to_read(&[
            "Each state is coloured by how often it voted like the chosen state in the UN General Assembly's recorded votes of the year: blue, mostly the same; red, mostly opposite.",
            "Agreement counts yes as 1, abstain as 0.5 and no as 0, and averages 1 minus the difference over the roll calls both took part in. Absences and non-membership are not votes: they are left out, not counted as disagreement.",
            "A coalition map shows who could side with whom on the record; it does not say why, and the issues voted on differ from year to year.",
        ]))
        form #agreement-form method="get" action="/votes/agreement" {
            label for="ag-with" { "State" } " " input #ag-with name="with" type="text" value=(a.with) size="8"; " "
            label for="ag-year" { "Year" } " " input #ag-year name="year" type="number" min=(a.span.0) max=(a.span.1) value=(a.year); " "
            button type="submit" { "Show" }
        }
        figure.chart { (maud::PreEscaped(map)) }
        h2 { "Closest and furthest" }
        (scrolling("Closest and furthest", html! { table #agreement {
            caption { "The " (shown) " states that agreed most and least with " (name(&a.with)) " (the download has all " (a.rows.len()) ")." }
            thead { tr { th scope="col" { "State" } th scope="col" { "Agreement" } th scope="col" { "Roll calls" } } }
            tbody {
                @for r in a.rows.iter().take(shown) { tr { th scope="row" { (name(&r.b)) } td.num { (format!("{:.1}%", 100.0 * r.score)) } td.num { (r.roll_calls) } } }
                @if a.rows.len() > 2 * shown { tr { td colspan="3" { "…" } } }
                @for r in a.rows.iter().skip(shown.max(a.rows.len().saturating_sub(shown))) { tr { th scope="row" { (name(&r.b)) } td.num { (format!("{:.1}%", 100.0 * r.score)) } td.num { (r.roll_calls) } } }
            }
        } }))
        (view_links(&a.permalink))
        p { a href="/votes/power" { "Voting power" } " · " a href="/negotiate" { "Negotiations" } }
    };
    Ok(Html(layout(&title, &viewer, body).into_string()).into_response())
}
