//! Which NDC each party has filed, from the UNFCCC registry listing (table `ndc_documents`):
//! the newest active NDC document per party (title, version, submission date) and how many
//! NDC documents it has filed. The climate pages put this beside the rating, which reads the
//! NDC *content* tables (WRI CAIT's coding covers first NDCs): a reader sees at once when a
//! party has filed a newer NDC than the one rated (issue 14: China, the US, the EU and Japan
//! were shown with "no net-zero pledge" and nothing said the content was first-round).

use std::collections::BTreeMap;

use attache_core::SourceId;

use crate::cells::{require_tables, strings};
use crate::{Result, Vintage, query};

/// The registry listing's table and its source.
pub const NEEDED: [(&str, SourceId); 1] = [("ndc_documents", SourceId::UNFCCC)];

const SQL: &str = "select iso3, cast(title as varchar) as title, cast(version as varchar) as version, \
     cast(status as varchar) as status, cast(submission_date as varchar) as submission_date, \
     cast(file_type as varchar) as file_type \
     from ndc_documents where iso3 is not null";

/// One party's filings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    /// The newest active NDC document (by submission date): title and submission date
    /// (YYYY-MM-DD as listed).
    pub latest_title: String,
    pub latest_date: String,
    /// NDC documents listed for the party (active and archived).
    pub documents: usize,
}

/// The filings per ISO3 code in `v`.
pub async fn latest_ndcs(v: &Vintage) -> Result<BTreeMap<String, Filed>> {
    require_tables(v, &NEEDED)?;
    let ctx = v.session().await?;
    let b = query(&ctx, SQL).await?;
    let iso = strings(&b, "iso3", SQL)?;
    let title = strings(&b, "title", SQL)?;
    let status = strings(&b, "status", SQL)?;
    let date = strings(&b, "submission_date", SQL)?;
    let kind = strings(&b, "file_type", SQL)?;
    Ok(pick((0..iso.len()).filter_map(|i| {
        Some((
            iso[i].clone()?,
            title[i].clone().unwrap_or_default(),
            status[i].clone().unwrap_or_default(),
            date[i].clone().unwrap_or_default(),
            kind[i].clone().unwrap_or_default(),
        ))
    })))
}

/// The newest active NDC per party (ties: the later row), counting every NDC document.
fn pick(
    rows: impl Iterator<Item = (String, String, String, String, String)>,
) -> BTreeMap<String, Filed> {
    let mut out: BTreeMap<String, Filed> = BTreeMap::new();
    for (iso3, title, status, date, kind) in rows {
        if !kind.trim().eq_ignore_ascii_case("NDC") {
            continue;
        }
        let e = out.entry(iso3).or_insert_with(|| Filed {
            latest_title: String::new(),
            latest_date: String::new(),
            documents: 0,
        });
        e.documents += 1;
        if status.trim().eq_ignore_ascii_case("Active") && date >= e.latest_date {
            e.latest_title = title;
            e.latest_date = date;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        iso: &str,
        title: &str,
        status: &str,
        date: &str,
        kind: &str,
    ) -> (String, String, String, String, String) {
        (
            iso.into(),
            title.into(),
            status.into(),
            date.into(),
            kind.into(),
        )
    }

    #[test]
    fn the_newest_active_ndc_wins_and_all_are_counted() {
        let m = pick(
            [
                row(
                    "ALB",
                    "Albania First NDC (Archived)",
                    "Archived",
                    "2016-09-21",
                    "NDC",
                ),
                row(
                    "ALB",
                    "Albania First NDC (Updated submission)",
                    "Active",
                    "2021-10-12",
                    "NDC",
                ),
                row("ALB", "Albania LTS", "Active", "2023-01-01", "LTS"),
                row("DZA", "Algeria NDC 3.0", "Active", "2026-06-24", "NDC"),
                row("DZA", "Algeria First NDC", "Active", "2016-10-20", "NDC"),
            ]
            .into_iter(),
        );
        let alb = &m["ALB"];
        assert_eq!(alb.latest_title, "Albania First NDC (Updated submission)");
        assert_eq!(alb.latest_date, "2021-10-12");
        assert_eq!(alb.documents, 2, "other document types are not NDCs");
        assert_eq!(m["DZA"].latest_date, "2026-06-24");
    }
}
