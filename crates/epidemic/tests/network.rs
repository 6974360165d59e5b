//! Effective distance (Brockmann & Helbing 2013, Science 342:1337: d_mn = 1 - ln P_mn,
//! P_mn the fraction of travel leaving n that goes to m) and shortest-path trees.

use attache_epidemic::{EffectiveNetwork, EpidemicError, Metapop, Mobility};

fn check(got: Option<f64>, want: f64) {
    let got = got.expect("a distance");
    assert!((got - want).abs() < 1e-12, "got {got}, want {want}");
}

#[test]
fn effective_distance_of_a_link_is_one_minus_ln_p() {
    // From node 0: 3 travellers to 1, 1 to 2, so P_10 = 3/4 and P_20 = 1/4.
    let net = EffectiveNetwork::from_flows(3, &[(0, 1, 3.0), (0, 2, 1.0), (1, 0, 5.0)]).unwrap();
    check(net.link(0, 1), 1.0 - 0.75f64.ln());
    check(net.link(0, 2), 1.0 + 4f64.ln());
    check(net.link(1, 0), 1.0); // all of 1's travel goes to 0
    assert_eq!(net.link(2, 0), None);
}

#[test]
fn shortest_path_tree_prefers_the_dominant_route() {
    // 0 sends almost everything to 1, and 1 almost everything to 2: the two-hop path to 2
    // (about 2.02) beats the direct but thin link (1 + ln 100 = 5.6).
    let net = EffectiveNetwork::from_flows(
        4,
        &[
            (0, 1, 99.0),
            (0, 2, 1.0),
            (1, 2, 99.0),
            (1, 0, 1.0),
            (2, 1, 1.0),
        ],
    )
    .unwrap();
    let tree = net.tree(0).unwrap();
    check(tree.distance(0), 0.0);
    let two_hop = 2.0 - 2.0 * 0.99f64.ln();
    check(tree.distance(2), two_hop);
    assert_eq!(tree.path(2), Some(vec![0, 1, 2]));
    assert_eq!(tree.parent(1), Some(0));
    assert_eq!(tree.distance(3), None);
    assert_eq!(tree.path(3), None);
    assert!(matches!(
        net.tree(9),
        Err(EpidemicError::IndexOutOfRange { index: 9, n: 4 })
    ));
}

#[test]
fn mobility_effective_network_uses_symmetric_counts() {
    let m = Mobility::from_links(3, &[(0, 1, 30.0), (0, 2, 10.0)]).unwrap();
    let net = m.effective_network();
    check(net.link(0, 1), 1.0 - 0.75f64.ln());
    check(net.link(1, 0), 1.0);
    assert_eq!(m.outflow(), vec![40.0, 30.0, 10.0]);
    assert_eq!(m.link(2, 0), Some(1));
}

#[test]
fn bad_networks_are_refused_with_names() {
    let e = Mobility::from_links(2, &[(0, 1, -1.0)]).unwrap_err();
    assert!(e.to_string().contains("non-negative"), "{e}");
    let e = Mobility::from_links(2, &[(0, 0, 1.0)]).unwrap_err();
    assert!(e.to_string().contains("two different"), "{e}");
    let e = Metapop::new(
        vec!["A".into(), "B".into()],
        vec![100, 10],
        Mobility::from_links(2, &[(0, 1, 10.5)]).unwrap(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("\"B\" sends 11"), "{e}");
    let e = Metapop::new(
        vec!["A".into(), "A".into()],
        vec![1, 1],
        Mobility::isolated(2),
    )
    .unwrap_err();
    assert_eq!(e, EpidemicError::BadSubpopName("A".into()));
    let e = Metapop::single("A", 0).unwrap_err();
    assert!(e.to_string().contains("population 0"), "{e}");
}
