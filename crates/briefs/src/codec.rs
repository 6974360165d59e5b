//! How brief content is stored: a versioned JSON encoding of the content (private to this
//! module, so domain types stay serde-free), sealed with the vault for classified material.
//!
//! Each stored blob is bound to its place by the AEAD's associated data
//! `"attache-brief-v1" 0x00 "brief:<id>" 0x00 <field>`, where `field` is `body`, `rationale`,
//! `evidence:<eid>`, `document:<did>:meta` or `document:<did>:content`: a ciphertext copied to
//! another brief or field does not open. Content of level `public` is stored as the same JSON in
//! clear; anything above is sealed. A classified blob found in clear (or a public one found
//! sealed) is reported as corrupt, never shown.

use std::path::Path;

use attache_accounts::Clearance;
use attache_core::MonthId;
use attache_core::outcome::{
    Horizon, ModelRef, Novelty, NoveltyStatus, PointKind, PredictedOutcome, Quantile,
};
use attache_vault::{Keyring, is_sealed};
use serde::{Deserialize, Serialize};

use crate::BriefsError;
use crate::model::{Author, BriefOption, EvidenceKind, NewEvidence, Text};

/// Where a blob belongs (its associated data).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Field {
    Body,
    Rationale,
    Evidence(i64),
    DocumentMeta(i64),
    DocumentContent(i64),
}

impl Field {
    fn column(self) -> &'static str {
        match self {
            Field::Body => "body",
            Field::Rationale => "rationale",
            Field::Evidence(_) => "evidence",
            Field::DocumentMeta(_) => "document meta",
            Field::DocumentContent(_) => "document content",
        }
    }

    fn aad(self, brief: i64) -> Vec<u8> {
        let field = match self {
            Field::Body => "body".to_string(),
            Field::Rationale => "rationale".to_string(),
            Field::Evidence(e) => format!("evidence:{e}"),
            Field::DocumentMeta(d) => format!("document:{d}:meta"),
            Field::DocumentContent(d) => format!("document:{d}:content"),
        };
        format!("attache-brief-v1\0brief:{brief}\0{field}").into_bytes()
    }
}

/// Whether material of `level` is sealed at rest.
pub(crate) fn sealed_level(level: Clearance) -> bool {
    level > Clearance::Public
}

/// The stored form of `plain` for brief `id` at `level`.
pub(crate) fn seal(
    ring: &Keyring,
    level: Clearance,
    id: i64,
    field: Field,
    plain: &[u8],
) -> Result<Vec<u8>, BriefsError> {
    if !sealed_level(level) {
        return Ok(plain.to_vec());
    }
    ring.seal(plain, &field.aad(id))
        .map_err(|source| BriefsError::Crypto {
            id,
            what: format!("sealing the {}", field.column()),
            source,
        })
}

/// The plaintext of a stored blob.
pub(crate) fn open(
    ring: &Keyring,
    path: &Path,
    level: Clearance,
    id: i64,
    field: Field,
    stored: &[u8],
) -> Result<Vec<u8>, BriefsError> {
    let corrupt = |reason: &str| BriefsError::Corrupt {
        path: path.to_path_buf(),
        id,
        column: field.column(),
        reason: reason.to_string(),
    };
    if !sealed_level(level) {
        if is_sealed(stored) {
            return Err(corrupt("public content is stored sealed"));
        }
        return Ok(stored.to_vec());
    }
    if !is_sealed(stored) {
        return Err(corrupt("classified content is not sealed"));
    }
    ring.open(stored, &field.aad(id))
        .map(|p| p.to_vec())
        .map_err(|source| BriefsError::Crypto {
            id,
            what: format!("opening the {}", field.column()),
            source,
        })
}

/// Re-seals a stored blob under the active key; `None` when it already is (or is public).
pub(crate) fn rewrap(
    ring: &Keyring,
    level: Clearance,
    id: i64,
    field: Field,
    stored: &[u8],
) -> Result<Option<Vec<u8>>, BriefsError> {
    if !sealed_level(level) {
        return Ok(None);
    }
    match ring.rewrap(stored, &field.aad(id)) {
        Ok(attache_vault::Rewrapped::Unchanged) => Ok(None),
        Ok(attache_vault::Rewrapped::Resealed(b)) => Ok(Some(b)),
        Err(source) => Err(BriefsError::Crypto {
            id,
            what: format!("rewrapping the {}", field.column()),
            source,
        }),
    }
}

/// A brief's title, question and options (the `body` blob).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Body {
    pub title: String,
    pub question: String,
    pub options: Vec<BriefOption>,
}

/// A document's name and type (the `meta` blob).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DocMeta {
    pub name: String,
    pub media_type: String,
}

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct BodyV1 {
    v: u32,
    title: String,
    question: String,
    options: Vec<OptionV1>,
}

#[derive(Serialize, Deserialize)]
struct OptionV1 {
    title: String,
    summary: TextV1,
    predictions: Vec<OutcomeV1>,
}

#[derive(Serialize, Deserialize)]
struct TextV1 {
    body: String,
    /// `person` or `machine`.
    author_kind: String,
    author: String,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum HorizonV1 {
    Month { month: String },
    Months { first: String, last: String },
    Year { year: i32 },
    Years { first: i32, last: i32 },
}

#[derive(Serialize, Deserialize)]
struct OutcomeV1 {
    quantity: String,
    description: String,
    subject: String,
    scenario: String,
    point: f64,
    point_kind: String,
    /// `[level, value]` pairs.
    quantiles: Vec<[f64; 2]>,
    unit: String,
    horizon: HorizonV1,
    assumptions: Vec<String>,
    model_name: String,
    model_version: String,
    data_vintage: String,
    label: String,
    novelty: String,
    novelty_note: String,
}

#[derive(Serialize, Deserialize)]
struct EvidenceV1 {
    v: u32,
    kind: String,
    title: String,
    summary: TextV1,
    source: String,
    data_vintage: String,
    model_name: Option<String>,
    model_version: Option<String>,
    outcome: Option<OutcomeV1>,
}

#[derive(Serialize, Deserialize)]
struct DocMetaV1 {
    v: u32,
    name: String,
    media_type: String,
}

/// A decoding failure, before the caller names the brief and column.
pub(crate) type Bad = String;

fn text_to(t: &Text) -> TextV1 {
    let (kind, name) = match &t.author {
        Author::Person(n) => ("person", n),
        Author::Machine(g) => ("machine", g),
    };
    TextV1 {
        body: t.body.clone(),
        author_kind: kind.into(),
        author: name.clone(),
    }
}

fn text_from(t: TextV1) -> Result<Text, Bad> {
    let author = match t.author_kind.as_str() {
        "person" => Author::Person(t.author),
        "machine" => Author::Machine(t.author),
        other => return Err(format!("unknown author kind {other:?}")),
    };
    Ok(Text {
        body: t.body,
        author,
    })
}

fn month(s: &str) -> Result<MonthId, Bad> {
    MonthId::parse_ym(s).map_err(|e| format!("horizon month: {e}"))
}

fn outcome_to(o: &PredictedOutcome) -> OutcomeV1 {
    let horizon = match o.horizon {
        Horizon::Month(m) => HorizonV1::Month {
            month: m.to_string(),
        },
        Horizon::Months { first, last } => HorizonV1::Months {
            first: first.to_string(),
            last: last.to_string(),
        },
        Horizon::Year(year) => HorizonV1::Year { year },
        Horizon::Years { first, last } => HorizonV1::Years { first, last },
    };
    OutcomeV1 {
        quantity: o.quantity.clone(),
        description: o.description.clone(),
        subject: o.subject.clone(),
        scenario: o.scenario.clone(),
        point: o.point,
        point_kind: o.point_kind.as_str().into(),
        quantiles: o.quantiles.iter().map(|q| [q.level, q.value]).collect(),
        unit: o.unit.clone(),
        horizon,
        assumptions: o.assumptions.clone(),
        model_name: o.model.name.clone(),
        model_version: o.model.version.clone(),
        data_vintage: o.data_vintage.clone(),
        label: o.label.clone(),
        novelty: o.novelty.status.as_str().into(),
        novelty_note: o.novelty.note.clone(),
    }
}

fn outcome_from(o: OutcomeV1) -> Result<PredictedOutcome, Bad> {
    let horizon = match o.horizon {
        HorizonV1::Month { month: m } => Horizon::Month(month(&m)?),
        HorizonV1::Months { first, last } => Horizon::Months {
            first: month(&first)?,
            last: month(&last)?,
        },
        HorizonV1::Year { year } => Horizon::Year(year),
        HorizonV1::Years { first, last } => Horizon::Years { first, last },
    };
    let out = PredictedOutcome {
        point_kind: PointKind::parse(&o.point_kind)
            .ok_or_else(|| format!("unknown point kind {:?}", o.point_kind))?,
        novelty: Novelty {
            status: NoveltyStatus::parse(&o.novelty)
                .ok_or_else(|| format!("unknown novelty {:?}", o.novelty))?,
            note: o.novelty_note,
        },
        quantity: o.quantity,
        description: o.description,
        subject: o.subject,
        scenario: o.scenario,
        point: o.point,
        quantiles: o
            .quantiles
            .into_iter()
            .map(|[level, value]| Quantile { level, value })
            .collect(),
        unit: o.unit,
        horizon,
        assumptions: o.assumptions,
        model: ModelRef {
            name: o.model_name,
            version: o.model_version,
        },
        data_vintage: o.data_vintage,
        label: o.label,
    };
    out.validate().map_err(|e| e.to_string())?;
    Ok(out)
}

fn json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("plain data serialises")
}

fn parse<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, Bad> {
    // serde_json's messages give a line and column, never the text around them.
    serde_json::from_slice(bytes).map_err(|e| format!("not the expected JSON ({e})"))
}

fn check_version(v: u32) -> Result<(), Bad> {
    if v != VERSION {
        return Err(format!(
            "encoding version {v}; this build reads version {VERSION}"
        ));
    }
    Ok(())
}

pub(crate) fn body_to_bytes(b: &Body) -> Vec<u8> {
    json(&BodyV1 {
        v: VERSION,
        title: b.title.clone(),
        question: b.question.clone(),
        options: b
            .options
            .iter()
            .map(|o| OptionV1 {
                title: o.title.clone(),
                summary: text_to(&o.summary),
                predictions: o.predictions.iter().map(outcome_to).collect(),
            })
            .collect(),
    })
}

pub(crate) fn body_from_bytes(bytes: &[u8]) -> Result<Body, Bad> {
    let b: BodyV1 = parse(bytes)?;
    check_version(b.v)?;
    let mut options = Vec::with_capacity(b.options.len());
    for o in b.options {
        options.push(BriefOption {
            title: o.title,
            summary: text_from(o.summary)?,
            predictions: o
                .predictions
                .into_iter()
                .map(outcome_from)
                .collect::<Result<_, _>>()?,
        });
    }
    Ok(Body {
        title: b.title,
        question: b.question,
        options,
    })
}

pub(crate) fn evidence_to_bytes(e: &NewEvidence) -> Vec<u8> {
    json(&EvidenceV1 {
        v: VERSION,
        kind: e.kind.as_str().into(),
        title: e.title.clone(),
        summary: text_to(&e.summary),
        source: e.source.clone(),
        data_vintage: e.data_vintage.clone(),
        model_name: e.model.as_ref().map(|m| m.name.clone()),
        model_version: e.model.as_ref().map(|m| m.version.clone()),
        outcome: e.outcome.as_ref().map(outcome_to),
    })
}

pub(crate) fn evidence_from_bytes(bytes: &[u8]) -> Result<NewEvidence, Bad> {
    let e: EvidenceV1 = parse(bytes)?;
    check_version(e.v)?;
    let model = match (e.model_name, e.model_version) {
        (Some(name), Some(version)) => Some(ModelRef { name, version }),
        (None, None) => None,
        _ => return Err("a model name without a version, or the reverse".into()),
    };
    Ok(NewEvidence {
        kind: EvidenceKind::parse(&e.kind)
            .ok_or_else(|| format!("unknown evidence kind {:?}", e.kind))?,
        title: e.title,
        summary: text_from(e.summary)?,
        source: e.source,
        data_vintage: e.data_vintage,
        model,
        outcome: e.outcome.map(outcome_from).transpose()?,
    })
}

pub(crate) fn doc_meta_to_bytes(m: &DocMeta) -> Vec<u8> {
    json(&DocMetaV1 {
        v: VERSION,
        name: m.name.clone(),
        media_type: m.media_type.clone(),
    })
}

pub(crate) fn doc_meta_from_bytes(bytes: &[u8]) -> Result<DocMeta, Bad> {
    let m: DocMetaV1 = parse(bytes)?;
    check_version(m.v)?;
    Ok(DocMeta {
        name: m.name,
        media_type: m.media_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use attache_core::outcome::REFERENCE_LABEL;
    use attache_vault::VaultKey;

    fn outcome(h: Horizon) -> PredictedOutcome {
        PredictedOutcome {
            quantity: "q".into(),
            description: "d".into(),
            subject: "SDN".into(),
            scenario: "status quo".into(),
            point: 0.1 + 0.2,
            point_kind: PointKind::Median,
            quantiles: vec![
                Quantile {
                    level: 0.05,
                    value: 0.0,
                },
                Quantile {
                    level: 0.95,
                    value: 1e-300,
                },
            ],
            unit: "deaths".into(),
            horizon: h,
            assumptions: vec!["a".into()],
            model: ModelRef {
                name: "m".into(),
                version: "1".into(),
            },
            data_vintage: "v".into(),
            label: REFERENCE_LABEL.into(),
            novelty: Novelty {
                status: NoveltyStatus::OutOfDistribution,
                note: "n".into(),
            },
        }
    }

    #[test]
    fn body_round_trips_exactly() {
        let m = MonthId(540);
        for h in [
            Horizon::Month(m),
            Horizon::Months {
                first: m,
                last: m.plus(11),
            },
            Horizon::Year(2100),
            Horizon::Years {
                first: 2030,
                last: 2050,
            },
        ] {
            let body = Body {
                title: "t \u{1F30D} \"q\"".into(),
                question: "?\n".into(),
                options: vec![BriefOption {
                    title: "o".into(),
                    summary: Text {
                        body: "s".into(),
                        author: Author::Person("alice".into()),
                    },
                    predictions: vec![outcome(h)],
                }],
            };
            assert_eq!(body_from_bytes(&body_to_bytes(&body)).unwrap(), body);
        }
    }

    #[test]
    fn evidence_round_trips() {
        let o = outcome(Horizon::Year(2100));
        let e = NewEvidence::from_outcome(EvidenceKind::Simulation, "climate run 7", &o);
        assert_eq!(evidence_from_bytes(&evidence_to_bytes(&e)).unwrap(), e);
        assert!(e.summary.author.is_machine());
    }

    fn check_open(
        level: Clearance,
        stored: &[u8],
        id: i64,
        field: Field,
        expect: Result<&[u8], &str>,
    ) {
        let ring = Keyring::new(VaultKey::from_bytes([4; 32]));
        match (
            open(&ring, Path::new("db"), level, id, field, stored),
            expect,
        ) {
            (Ok(p), Ok(want)) => assert_eq!(p, want),
            (Err(e), Err(needle)) => assert!(e.to_string().contains(needle), "{e}"),
            (got, want) => panic!("got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn sealing_follows_the_level_and_binds_the_place() {
        let ring = Keyring::new(VaultKey::from_bytes([4; 32]));
        let clear = seal(&ring, Clearance::Public, 1, Field::Body, b"hello").unwrap();
        assert_eq!(clear, b"hello");
        let ct = seal(&ring, Clearance::Restricted, 1, Field::Body, b"hello").unwrap();
        assert!(is_sealed(&ct) && !ct.windows(5).any(|w| w == b"hello"));
        check_open(Clearance::Public, b"hello", 1, Field::Body, Ok(b"hello"));
        check_open(Clearance::Restricted, &ct, 1, Field::Body, Ok(b"hello"));
        check_open(
            Clearance::Restricted,
            &ct,
            2,
            Field::Body,
            Err("brief 2: opening the body"),
        );
        check_open(
            Clearance::Restricted,
            &ct,
            1,
            Field::Rationale,
            Err("opening the rationale"),
        );
        check_open(
            Clearance::Restricted,
            &ct,
            1,
            Field::Evidence(1),
            Err("opening the evidence"),
        );
        check_open(
            Clearance::Secret,
            b"hello",
            1,
            Field::Body,
            Err("classified content is not sealed"),
        );
        check_open(
            Clearance::Public,
            &ct,
            1,
            Field::Body,
            Err("public content is stored sealed"),
        );
        let doc = seal(&ring, Clearance::Secret, 3, Field::DocumentContent(9), b"x").unwrap();
        check_open(
            Clearance::Secret,
            &doc,
            3,
            Field::DocumentContent(8),
            Err("opening the document content"),
        );
        check_open(
            Clearance::Secret,
            &doc,
            3,
            Field::DocumentMeta(9),
            Err("opening the document meta"),
        );
    }
}
