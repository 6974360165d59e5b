//! The trade simulator's inputs read from a vintage: the gravity panel (`gravity_panel`, the
//! Advanced Guide's 69-country panel written by the `trade` source) with a `SANCTION` column
//! when the vintage has the `sanctions` source: 1 when the Global Sanctions Data Base records a
//! complete trade sanction (an export or import ban) in force between the two countries
//! (either direction) in that year, else 0.
//! Sanctions whose sender is an organisation (the EU, the UN) have no member states in GSDB's
//! case file and are not expanded, so their pairs count as unsanctioned: this understates the
//! estimated effect, and the simulator's assumptions say where it comes from.
//!
//! [`frame`] turns Arrow batches into the trade crate's frame (numbers and text; other types
//! are listed, not dropped silently); `attache trade estimate --table` and `--input x.parquet`
//! read through it. `attache_trade` does no IO.

use arrow::array::{Array, Float64Array, StringArray};
use arrow::datatypes::DataType;
use arrow::record_batch::RecordBatch;
use attache_core::SourceId;
use attache_trade::{Column, Frame};

use crate::cells::require_tables;
use crate::{Result, StoreError, Vintage, query};

/// Tables the simulator needs, and the source that writes each.
pub const NEEDED: [(&str, SourceId); 1] = [("gravity_panel", SourceId::TRADE)];

/// The panel alone: the columns the simulator reads, countries as ISO3 (the Guide writes
/// Romania `ROM`).
pub const SQL_PANEL: &str = "SELECT g.exporter_iso3 AS exporter, g.importer_iso3 AS importer, \
     g.pair_id, g.year, g.trade, g.\"DIST\", g.\"CNTG\", g.\"LANG\", g.\"CLNY\", g.\"RTA\" \
     FROM gravity_panel g";

/// The panel with GSDB's complete trade sanctions per pair and year, both directions: a case
/// with a trade sanction whose `descr_trade` has a complete export or import ban (`exp_compl`,
/// `imp_compl`). Partial trade sanctions are left out: on this panel their estimated effect is
/// nil (0.09, standard error 0.08), while complete ones cut trade (about -0.95).
pub const SQL_PANEL_SANCTIONS: &str = "WITH s AS (\
     SELECT d.sender_iso3 AS a, d.target_iso3 AS b, CAST(d.year AS BIGINT) AS y \
       FROM sanction_dyad_years d JOIN sanctions_gsdb c ON d.case_id = c.case_id \
       WHERE d.source = 'gsdb' AND d.trade = 1 AND c.descr_trade LIKE '%compl%' \
       AND d.sender_iso3 IS NOT NULL AND d.target_iso3 IS NOT NULL), \
     u AS (SELECT a, b, y FROM s UNION SELECT b, a, y FROM s) \
     SELECT g.exporter_iso3 AS exporter, g.importer_iso3 AS importer, g.pair_id, g.year, g.trade, \
     g.\"DIST\", g.\"CNTG\", g.\"LANG\", g.\"CLNY\", g.\"RTA\", \
     CASE WHEN u.a IS NULL THEN 0.0 ELSE 1.0 END AS \"SANCTION\" FROM gravity_panel g \
     LEFT JOIN u ON g.exporter_iso3 = u.a AND g.importer_iso3 = u.b AND CAST(g.year AS BIGINT) = u.y";

/// A frame and the columns left out of it: (name, Arrow type).
pub type Framed = (Frame, Vec<(String, String)>);

/// Arrow batches as a frame: numeric and boolean columns as numbers (null = NaN), string
/// columns as text (null = empty); other types are returned by name and type.
pub fn frame(batches: &[RecordBatch]) -> Result<Framed> {
    let bad = |m: String| StoreError::Query(m);
    let mut out = Frame::new();
    let mut unsupported = Vec::new();
    let Some(first) = batches.first() else {
        return Ok((out, unsupported));
    };
    let schema = first.schema();
    for (k, field) in schema.fields().iter().enumerate() {
        let (name, ty) = (field.name(), field.data_type());
        let numeric = ty.is_numeric() || matches!(ty, DataType::Boolean);
        let text = matches!(
            ty,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..)
        );
        let column = if numeric {
            let mut v = Vec::new();
            for b in batches {
                let a = arrow::compute::cast(b.column(k), &DataType::Float64)
                    .map_err(|e| bad(format!("column {name:?} as numbers: {e}")))?;
                let a = a
                    .as_any()
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| bad(format!("column {name:?}: a cast to Float64")))?;
                v.extend((0..a.len()).map(|i| if a.is_null(i) { f64::NAN } else { a.value(i) }));
            }
            Column::Num(v)
        } else if text {
            let mut v = Vec::new();
            for b in batches {
                let a = arrow::compute::cast(b.column(k), &DataType::Utf8)
                    .map_err(|e| bad(format!("column {name:?} as text: {e}")))?;
                let a = a
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .ok_or_else(|| bad(format!("column {name:?}: a cast to Utf8")))?;
                v.extend((0..a.len()).map(|i| {
                    if a.is_null(i) {
                        String::new()
                    } else {
                        a.value(i).to_string()
                    }
                }));
            }
            Column::Text(v)
        } else {
            unsupported.push((name.clone(), ty.to_string()));
            continue;
        };
        out.push(name, column)
            .map_err(|e| bad(format!("column {name:?}: {e}")))?;
    }
    Ok((out, unsupported))
}

/// The gravity panel of `v`, with `SANCTION` when the vintage has the sanction dyad-years.
pub async fn gravity_panel(v: &Vintage) -> Result<Frame> {
    require_tables(v, &NEEDED)?;
    let tables = v.tables()?;
    let has_sanctions = ["sanction_dyad_years", "sanctions_gsdb"]
        .iter()
        .all(|n| tables.iter().any(|t| t == n));
    let ctx = v.session().await?;
    let sql = if has_sanctions {
        SQL_PANEL_SANCTIONS
    } else {
        SQL_PANEL
    };
    let batches = query(&ctx, sql).await?;
    Ok(frame(&batches)?.0)
}

/// One table of `v` as a frame (`attache trade estimate --table`).
pub async fn table(v: &Vintage, table: &str) -> Result<Framed> {
    if !v.tables()?.iter().any(|t| t == table) {
        return Err(StoreError::Query(format!(
            "vintage {} has no table {table:?}; it has: {}",
            v.id,
            v.tables()?.join(", ")
        )));
    }
    let ctx = v.session().await?;
    let batches = query(
        &ctx,
        &format!("SELECT * FROM \"{}\"", table.replace('"', "")),
    )
    .await?;
    frame(&batches)
}

/// Tables the mirror statistics need.
pub const NEEDED_WITS: [(&str, SourceId); 1] = [("wits_trade", SourceId::TRADE)];

/// The WITS figures between countries, as the `trade` source kept them.
pub const SQL_WITS: &str = "SELECT line, reporter_iso3, partner_iso3, direction, value_kusd \
     FROM wits_trade ORDER BY line";

/// The vintage's WITS file as `attache_trade::mirror` reads it (the aggregates and a country's
/// trade with itself were set aside and counted at sync: the lockfile has the counts).
pub async fn wits_file(v: &Vintage) -> Result<attache_trade::mirror::WitsFile> {
    use crate::cells::{floats, ints, need, strings};
    use attache_trade::mirror::{Direction, Reported, WitsFile};
    require_tables(v, &NEEDED_WITS)?;
    let ctx = v.session().await?;
    let b = query(&ctx, SQL_WITS).await?;
    let sql = SQL_WITS;
    let (line, rep, par, dir, val) = (
        ints(&b, "line", sql)?,
        strings(&b, "reporter_iso3", sql)?,
        strings(&b, "partner_iso3", sql)?,
        strings(&b, "direction", sql)?,
        floats(&b, "value_kusd", sql)?,
    );
    let mut out = WitsFile::default();
    for i in 0..line.len() {
        let direction = match need(dir[i].as_deref(), "direction", sql, i)? {
            "export" => Direction::Export,
            "import" => Direction::Import,
            d => {
                return Err(StoreError::Query(format!(
                    "row {i}: direction {d:?} is neither export nor import (in the result of `{sql}`)"
                )));
            }
        };
        out.rows.push(Reported {
            reporter: need(rep[i].clone(), "reporter_iso3", sql, i)?,
            partner: need(par[i].clone(), "partner_iso3", sql, i)?,
            direction,
            value: need(val[i], "value_kusd", sql, i)?,
            line: need(line[i], "line", sql, i)? as usize,
        });
    }
    Ok(out)
}

/// CEPII GeoDist distances (km) by exporter and importer ISO3.
pub const SQL_DIST: &str = "SELECT iso3_o, iso3_d, dist FROM cepii_dist \
     WHERE iso3_o IS NOT NULL AND iso3_d IS NOT NULL AND dist IS NOT NULL";

/// The vintage's distances for the gravity check (`None`: no `cepii_dist` table).
pub async fn distances(
    v: &Vintage,
) -> Result<Option<std::collections::BTreeMap<(String, String), f64>>> {
    use crate::cells::{floats, need, strings};
    if !v.tables()?.iter().any(|t| t == "cepii_dist") {
        return Ok(None);
    }
    let ctx = v.session().await?;
    let b = query(&ctx, SQL_DIST).await?;
    let sql = SQL_DIST;
    let (o, d, km) = (
        strings(&b, "iso3_o", sql)?,
        strings(&b, "iso3_d", sql)?,
        floats(&b, "dist", sql)?,
    );
    let mut out = std::collections::BTreeMap::new();
    for i in 0..o.len() {
        out.insert(
            (
                need(o[i].clone(), "iso3_o", sql, i)?,
                need(d[i].clone(), "iso3_d", sql, i)?,
            ),
            need(km[i], "dist", sql, i)?,
        );
    }
    Ok(Some(out))
}
