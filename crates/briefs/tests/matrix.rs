//! Role x clearance x read path: every principal (4 roles x 4 clearances) against briefs at every
//! level, through every read path of the library (get, list, export, document, and the document
//! listing inside a brief). The expectations are written out as a table, not computed by the code
//! under test.

mod common;

use attache_accounts::{Clearance, Role};
use attache_briefs::{BriefsError, ListFilter, NewDocument};
use common::*;

/// Who reads which levels: p(ublic), r(estricted), c(onfidential), s(ecret).
const TABLE: &[(Role, Clearance, &str)] = &[
    (Role::Public, Clearance::Public, "p"),
    // The public role is the anonymous visitor: public briefs only, whatever clearance it claims.
    (Role::Public, Clearance::Restricted, "p"),
    (Role::Public, Clearance::Confidential, "p"),
    (Role::Public, Clearance::Secret, "p"),
    (Role::Analyst, Clearance::Public, "p"),
    (Role::Analyst, Clearance::Restricted, "pr"),
    (Role::Analyst, Clearance::Confidential, "prc"),
    (Role::Analyst, Clearance::Secret, "prcs"),
    (Role::Diplomat, Clearance::Public, "p"),
    (Role::Diplomat, Clearance::Restricted, "pr"),
    (Role::Diplomat, Clearance::Confidential, "prc"),
    (Role::Diplomat, Clearance::Secret, "prcs"),
    (Role::Admin, Clearance::Public, "p"),
    (Role::Admin, Clearance::Restricted, "pr"),
    (Role::Admin, Clearance::Confidential, "prc"),
    (Role::Admin, Clearance::Secret, "prcs"),
];

fn letter(c: Clearance) -> char {
    c.as_str().chars().next().unwrap()
}

struct Item {
    id: i64,
    level: Clearance,
    /// A document marked public and one marked secret.
    public_doc: i64,
    secret_doc: i64,
}

#[test]
fn role_clearance_matrix_over_every_read_path() {
    let f = fixture();
    let b = &f.briefs;
    let items: Vec<Item> = Clearance::ALL
        .into_iter()
        .map(|level| {
            let id = b
                .create(&diplomat(), &new_brief(level.as_str(), level))
                .unwrap();
            let doc = |c: Clearance| NewDocument {
                name: format!("annex-{}.txt", c.as_str()),
                media_type: "text/plain".into(),
                classification: c,
                content: format!("annex body {}", c.as_str()).into_bytes(),
            };
            let public_doc = b
                .attach_document(&diplomat(), id, &doc(Clearance::Public))
                .unwrap();
            let secret_doc = b
                .attach_document(&diplomat(), id, &doc(Clearance::Secret))
                .unwrap();
            Item {
                id,
                level,
                public_doc,
                secret_doc,
            }
        })
        .collect();
    let missing = items.iter().map(|i| i.id).max().unwrap() + 100;
    assert_eq!(TABLE.len(), 16);

    for &(role, clearance, letters) in TABLE {
        let p = who("reader", role, clearance);
        let ctx = format!("{role}/{clearance}");
        let reads = |level: Clearance| letters.contains(letter(level));

        // list
        let page = b.list(&p, &ListFilter::default()).unwrap();
        let mut listed: Vec<i64> = page.items.iter().map(|s| s.id).collect();
        listed.sort();
        let want: Vec<i64> = items
            .iter()
            .filter(|i| reads(i.level))
            .map(|i| i.id)
            .collect();
        assert_eq!(listed, want, "{ctx}: list");
        assert_eq!(page.total as usize, want.len(), "{ctx}: list total");

        for it in &items {
            let visible = reads(it.level);
            let ctx = format!("{ctx} reading a {} brief", it.level);
            // get
            match b.get(&p, it.id) {
                Ok(brief) => {
                    assert!(visible, "{ctx}: get succeeded");
                    assert_eq!(
                        brief.title,
                        new_brief(it.level.as_str(), it.level).title,
                        "{ctx}"
                    );
                    // The document listing: the public-marked one always (the brief is readable),
                    // the secret-marked one only for secret clearance.
                    let docs: Vec<i64> = brief.documents.iter().map(|d| d.id).collect();
                    let mut want_docs = vec![it.public_doc];
                    if reads(Clearance::Secret) {
                        want_docs.push(it.secret_doc);
                    }
                    assert_eq!(docs, want_docs, "{ctx}: documents listed");
                }
                Err(BriefsError::NotFound { id }) => {
                    assert!(!visible && id == it.id, "{ctx}: get not found")
                }
                Err(e) => panic!("{ctx}: get: {e}"),
            }
            // export
            match b.export_html(&p, it.id) {
                Ok(html) => {
                    assert!(visible, "{ctx}: export succeeded");
                    assert!(html.contains("annex-public.txt"), "{ctx}");
                    assert_eq!(
                        html.contains("annex-secret.txt"),
                        reads(Clearance::Secret),
                        "{ctx}: secret annex in export"
                    );
                }
                Err(BriefsError::NotFound { .. }) => assert!(!visible, "{ctx}: export not found"),
                Err(e) => panic!("{ctx}: export: {e}"),
            }
            // document content
            for (doc, doc_level) in [
                (it.public_doc, Clearance::Public),
                (it.secret_doc, Clearance::Secret),
            ] {
                let needed = it.level.max(doc_level);
                match b.document(&p, it.id, doc) {
                    Ok(d) => {
                        assert!(reads(needed), "{ctx}: document {doc_level} read");
                        assert_eq!(
                            d.content,
                            format!("annex body {}", doc_level.as_str()).into_bytes()
                        );
                    }
                    Err(BriefsError::NotFound { .. }) => {
                        assert!(!visible, "{ctx}: document {doc_level}: brief not found")
                    }
                    Err(BriefsError::DocumentNotFound { .. }) => {
                        assert!(
                            visible && !reads(needed),
                            "{ctx}: document {doc_level} not found"
                        )
                    }
                    Err(e) => panic!("{ctx}: document: {e}"),
                }
            }
            // A document id of another brief is not found through this one.
            let other = items.iter().find(|o| o.id != it.id).unwrap();
            if visible {
                assert!(
                    matches!(
                        b.document(&p, it.id, other.public_doc),
                        Err(BriefsError::DocumentNotFound { .. })
                    ),
                    "{ctx}"
                );
            }
        }
        // Hidden and missing look the same.
        assert_eq!(
            b.get(&p, missing).unwrap_err().to_string(),
            format!("brief {missing} not found")
        );
        assert!(matches!(
            b.export_html(&p, missing),
            Err(BriefsError::NotFound { .. })
        ));
    }
    f.log.verify(&f.trusted).unwrap();
}
