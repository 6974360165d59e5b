//! Mirror statistics on the World Bank WITS extraction for 2009 in the data mirror
//! (`trade/WITS_trade2009.csv`, 40,618 rows): the counts of flows reported by both sides, by
//! one side only, and flagged, against an independent pass over the same file in Python
//! (csv module; same aliases, aggregates, CIF/FOB 1.06 and flag rule; run 2026-12-06):
//!
//! ```text
//! rows 40618, aggregate rows 1181, self-trade rows 19, flows 25305,
//! both 14113, orphaned 7082, lost 4110, flagged 2275 (|relative gap| >= 0.5, >= 10 million USD)
//! ```

use attache_trade::mirror::{FlagRule, MirrorCounts, counts, mirror, parse_wits};

#[test]
fn wits_2009_mirror_counts() {
    let path = attache_testdata::mirror().join("trade/WITS_trade2009.csv");
    let bytes = std::fs::read(&path).unwrap();
    let f = parse_wits("WITS_trade2009.csv", &bytes).unwrap();
    let aggregate_rows: usize = f.aggregates.values().sum();
    assert_eq!(aggregate_rows, 1181, "{:?}", f.aggregates);
    assert_eq!(f.self_trade, 19);
    assert_eq!(
        f.rows.len() + aggregate_rows + f.self_trade,
        40618,
        "no row lost"
    );
    let m = mirror(&f, FlagRule::default());
    let c = counts(&m);
    println!(
        "{c:?}; aliased {:?}; aggregates {:?}",
        f.aliased, f.aggregates
    );
    assert_eq!(
        c,
        MirrorCounts {
            flows: 25305,
            both: 14113,
            orphaned: 7082,
            lost: 4110,
            flagged: 2275,
        }
    );
    // Every flagged flow carries its two evidence rows.
    assert!(m.iter().filter(|x| x.flagged).all(|x| x.lines.len() >= 2));
}
