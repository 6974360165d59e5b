//! The network from air-route rows: country grouping, the route proxy and its calibration,
//! the travel cap, airport catchments, lever expansion, and the passenger-matrix parser.

use std::collections::BTreeMap;

use attache_epidemic::air::{
    AirInputs, Airport, Flow, Level, MAX_DAILY_SHARE, Route, WORLD_PASSENGERS_2014, build,
    great_circle_km, parse_passengers,
};
use attache_epidemic::{Lever, Scenario};
use proptest::prelude::*;

fn airport(id: i64, iso3: &str, iata: &str) -> Airport {
    Airport {
        id,
        iso3: iso3.into(),
        iata: Some(iata.into()),
        icao: None,
        latitude: id as f64,
        longitude: 0.0,
    }
}

/// FRA (CDG, ORY), DEU (FRA), ITA (FCO), and an airport in a place without population.
fn inputs() -> AirInputs {
    let airports = vec![
        airport(1, "FRA", "CDG"),
        airport(2, "FRA", "ORY"),
        airport(3, "DEU", "FRA"),
        airport(4, "ITA", "FCO"),
        airport(5, "ATA", "XXX"),
    ];
    let r = |from, to| Route { from, to };
    // CDG-FRA twice (two airlines) and back once; CDG-FCO both ways; ORY-CDG domestic;
    // one route to Antarctica; one naming an unknown airport.
    let routes = vec![
        r(1, 3),
        r(1, 3),
        r(3, 1),
        r(1, 4),
        r(4, 1),
        r(2, 1),
        r(1, 5),
        r(1, 99),
    ];
    let mut population = BTreeMap::new();
    population.insert("FRA".into(), (67_000_000, 2018));
    population.insert("DEU".into(), (83_000_000, 2018));
    population.insert("ITA".into(), (60_000_000, 2018));
    population.insert("LIE".into(), (38_000, 2018));
    AirInputs {
        airports,
        routes,
        population,
    }
}

#[test]
fn countries_from_routes() {
    let net = build(&inputs(), Level::Countries, None).unwrap();
    let names = net.world.names();
    assert_eq!(names, ["DEU", "FRA", "ITA", "LIE"]);
    // Calibration: 7 routes with both airports known carry the world's daily passengers.
    let per_route = WORLD_PASSENGERS_2014 / 365.0 / 7.0;
    assert!((net.per_route - per_route).abs() < 1e-6);
    let mob = net.world.mobility();
    let (deu, fra, ita, lie) = (0, 1, 2, 3);
    let w = |a, b| mob.links()[mob.link(a, b).unwrap()].2;
    // FRA->DEU 2 routes, DEU->FRA 1: averaged to 1.5 routes each way.
    assert!((w(fra, deu) - 1.5 * per_route).abs() < 1e-6);
    assert!((w(fra, ita) - per_route).abs() < 1e-6);
    assert!(mob.link(deu, ita).is_none());
    assert_eq!(mob.outflow()[lie], 0.0, "no airport: isolated");
    assert!(
        net.notes.iter().any(|n| n.contains("ATA")),
        "{:?}",
        net.notes
    );
    assert!(
        net.notes.iter().any(|n| n.starts_with("1 of 8 routes")),
        "{:?}",
        net.notes
    );
    // The busiest airport locates the country.
    assert_eq!(net.places[fra].location, Some((1.0, 0.0)));
    assert_eq!(net.places[lie].location, None);
}

#[test]
fn the_cap_scales_a_small_place_down() {
    let mut inp = inputs();
    inp.population.insert("ITA".into(), (1_000, 2018));
    let net = build(&inp, Level::Countries, None).unwrap();
    let ita = net.world.index("ITA").unwrap();
    let out = net.world.mobility().outflow()[ita];
    assert!(out <= MAX_DAILY_SHARE * 1_000.0 + 1e-9, "{out}");
    assert!(
        net.notes
            .iter()
            .any(|n| n.contains("capped") && n.contains("ITA"))
    );
}

#[test]
fn airports_with_catchments_and_expanded_levers() {
    let net = build(&inputs(), Level::Airports, None).unwrap();
    let names = net.world.names();
    assert_eq!(names, ["CDG", "ORY", "FRA", "FCO"]);
    // France's 67M split by route ends: CDG has 6 ends (3 to FRA, 2 to FCO, 1 to ORY), ORY 1.
    let pop = net.world.population();
    assert_eq!(pop[0], (67e6 * 6.0 / 7.0_f64).round() as u64);
    assert_eq!(pop[1], (67e6 / 7.0_f64).round() as u64);
    assert_eq!(net.of_country("FRA"), [0, 1], "busiest first");
    let l: Lever = "travel:FRA*0.5@3".parse().unwrap();
    let ex: Vec<String> = net.expand(&l).iter().map(|l| l.to_string()).collect();
    // FRA is an airport code here: it names Frankfurt, not France.
    assert_eq!(ex, ["travel:FRA*0.5@3"]);
    let l: Lever = "distancing:ITA*0.5@3..9".parse().unwrap();
    let ex: Vec<String> = net.expand(&l).iter().map(|l| l.to_string()).collect();
    assert_eq!(ex, ["distancing:FCO*0.5@3..9"]);
    let l: Lever = "route:DEU-ITA*0@1".parse().unwrap();
    assert_eq!(
        net.expand(&l),
        std::slice::from_ref(&l),
        "no link: left for the setup to name"
    );
    let s = Scenario {
        levers: net.expand(&"screen:exit:ITA=0.3".parse().unwrap()),
    };
    assert_eq!(s.to_string(), "screen:exit:FCO=0.3@0");
}

#[test]
fn a_passenger_matrix_replaces_the_routes() {
    let flows = parse_passengers(
        b"origin_iso3,destination_iso3,daily_passengers\nDEU,ITA,1000\nITA,DEU,3000\n",
    )
    .unwrap();
    let net = build(&inputs(), Level::Countries, Some(&flows)).unwrap();
    let mob = net.world.mobility();
    assert_eq!(mob.links(), [(0, 2, 2000.0)]);
    assert_eq!(net.per_route, 0.0);
    let bad = [Flow {
        origin: "USA".into(),
        destination: "DEU".into(),
        daily: 1.0,
    }];
    let e = build(&inputs(), Level::Countries, Some(&bad))
        .unwrap_err()
        .to_string();
    assert!(e.contains("USA"), "{e}");
}

fn check(text: &str, expect: Result<usize, &str>) {
    match (parse_passengers(text.as_bytes()), expect) {
        (Ok(v), Ok(n)) => assert_eq!(v.len(), n, "{text}"),
        (Err(e), Err(msg)) => assert!(e.to_string().contains(msg), "{text}: {e}"),
        (got, want) => panic!("{text}: got {got:?}, expected {want:?}"),
    }
}

const H: &str = "origin_iso3,destination_iso3,daily_passengers\n";

#[test]
fn passenger_matrix_errors_name_line_and_value() {
    check(&format!("{H}CHN,USA,100\nUSA,CHN,90.5\n"), Ok(2));
    check(&format!("\u{feff}{H}\nchn,usa,1\n\n"), Ok(1));
    check("", Err("line 1: empty file"));
    check(
        "from,to,n\n",
        Err("line 1: the header must be origin_iso3,destination_iso3,daily_passengers"),
    );
    check(
        &format!("{H}CHN,USA,100\nCHN,XYZ,3\n"),
        Err("line 3: unknown ISO3 country code (value \"XYZ\")"),
    );
    check(
        &format!("{H}CHN,US,3\n"),
        Err("line 2: not an ISO 3166 alpha-3 code (value \"US\")"),
    );
    check(
        &format!("{H}CHN,USA,-3\n"),
        Err("line 2: daily_passengers must be finite and non-negative (value \"-3\")"),
    );
    check(
        &format!("{H}CHN,USA,lots\n"),
        Err("line 2: daily_passengers is not a number (value \"lots\")"),
    );
    check(
        &format!("{H}CHN,USA,NaN\n"),
        Err("line 2: daily_passengers must be finite"),
    );
    check(
        &format!("{H}CHN,CHN,1\n"),
        Err("line 2: origin and destination"),
    );
    check(
        &format!("{H}CHN,USA,1\nCHN,USA,2\n"),
        Err("line 3: this origin-destination pair is given twice"),
    );
    check(
        &format!("{H}CHN,USA\n"),
        Err("line 2: expected 3 comma-separated fields"),
    );
    check(
        "origin_iso3,destination_iso3,daily_passengers\n\u{0}\u{ff}",
        Err("line 2"),
    );
}

#[test]
fn passenger_matrix_bytes_are_not_utf8() {
    let mut b = H.as_bytes().to_vec();
    b.extend_from_slice(b"CHN,USA,1\n\xff\n");
    let e = parse_passengers(&b).unwrap_err().to_string();
    assert!(e.contains("line 3: not UTF-8"), "{e}");
}

#[test]
fn great_circle_known_distance() {
    // Paris (48.8566, 2.3522) to London (51.5074, -0.1278): 343.5 km by the haversine with
    // R = 6371 km (the textbook example, e.g. Movable Type Scripts' calculator).
    let d = great_circle_km((48.8566, 2.3522), (51.5074, -0.1278));
    assert!((d - 343.5).abs() < 1.0, "{d}");
}

proptest! {
    /// Any bytes: an answer or an error, never a panic; rows that parse are valid.
    #[test]
    fn passenger_parser_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut b = H.as_bytes().to_vec();
        b.extend(body);
        if let Ok(v) = parse_passengers(&b) {
            for f in v {
                prop_assert!(f.daily.is_finite() && f.daily >= 0.0);
                prop_assert_ne!(f.origin, f.destination);
            }
        }
    }

    /// Rows written from valid values parse back to the same values.
    #[test]
    fn passenger_rows_round_trip(n in 0.0f64..1e7, swap in any::<bool>()) {
        let (a, b) = if swap { ("USA", "CHN") } else { ("CHN", "USA") };
        let v = parse_passengers(format!("{H}{a},{b},{n}\n").as_bytes()).unwrap();
        prop_assert_eq!(v.len(), 1);
        prop_assert_eq!(v[0].daily, n);
        prop_assert_eq!(v[0].origin.as_str(), a);
    }
}
