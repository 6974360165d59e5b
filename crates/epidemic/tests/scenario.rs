//! The lever grammar: parsing, errors that name the bad token, and round trips.

use attache_epidemic::{Action, EpidemicError, Lever, Scenario, Seed, Side};
use proptest::prelude::*;

fn check(input: &str, expect: Result<Lever, &str>) {
    match (input.parse::<Lever>(), expect) {
        (Ok(got), Ok(want)) => assert_eq!(got, want, "{input}"),
        (Err(EpidemicError::Lever { token, .. }), Err(want)) => {
            assert_eq!(token, want, "{input}: wrong token")
        }
        (got, want) => panic!("{input}: got {got:?}, want {want:?}"),
    }
}

fn lever(action: Action, start: u32, end: Option<u32>) -> Lever {
    Lever { action, start, end }
}

#[test]
fn levers_parse() {
    let p = |s: &str| s.to_string();
    check(
        "travel:CHN*0.2@23",
        Ok(lever(
            Action::Travel {
                place: p("CHN"),
                factor: 0.2,
            },
            23,
            None,
        )),
    );
    check(
        "route:CHN-USA*0@32",
        Ok(lever(
            Action::Route {
                a: p("CHN"),
                b: p("USA"),
                factor: 0.0,
            },
            32,
            None,
        )),
    );
    check(
        "distancing:ITA*0.6@70..130",
        Ok(lever(
            Action::Distancing {
                place: p("ITA"),
                factor: 0.6,
            },
            70,
            Some(130),
        )),
    );
    check(
        "screen:exit:CHN=0.3",
        Ok(lever(
            Action::Screen {
                side: Side::Exit,
                place: p("CHN"),
                fraction: 0.3,
            },
            0,
            None,
        )),
    );
    check(
        " screen:entry:USA=1@5 ",
        Ok(lever(
            Action::Screen {
                side: Side::Entry,
                place: p("USA"),
                fraction: 1.0,
            },
            5,
            None,
        )),
    );
    check(
        "vaccinate:USA=0.01/day@365",
        Ok(lever(
            Action::Vaccinate {
                place: p("USA"),
                fraction: 0.01,
                daily: true,
            },
            365,
            None,
        )),
    );
    check(
        "vaccinate:GBR=0.2@300",
        Ok(lever(
            Action::Vaccinate {
                place: p("GBR"),
                fraction: 0.2,
                daily: false,
            },
            300,
            None,
        )),
    );
}

#[test]
fn errors_name_the_bad_token() {
    check("travle:CHN*0.2", Err("travle"));
    check("travel:CHN*1.5@3", Err("1.5"));
    check("travel:CHN*abc", Err("abc"));
    check("travel:CHN", Err("CHN"));
    check("travel:CH N*0.5", Err("CH N"));
    check("travel:CHN*0.5@-3", Err("-3"));
    check("travel:CHN*0.5@9..4", Err("9..4"));
    check("route:CHN-CHN*0", Err("CHN-CHN"));
    check("route:CHN*0", Err("CHN"));
    check("screen:both:CHN=0.3", Err("both"));
    check("vaccinate:USA=0.01/week", Err("week"));
    check("vaccinate:USA=1/day", Err("1"));
    check("vaccinate:USA=0.2@3..9", Err("3..9"));
    let msg = "travel:CHN*1.5".parse::<Lever>().unwrap_err().to_string();
    assert!(msg.contains("\"1.5\"") && msg.contains("[0, 1]"), "{msg}");
}

#[test]
fn scenarios_split_on_semicolons_and_lines() {
    let s = Scenario::parse("travel:CHN*0.2@23;\n route:CHN-USA*0@32\n\n").unwrap();
    assert_eq!(s.levers.len(), 2);
    assert_eq!(s.to_string(), "travel:CHN*0.2@23; route:CHN-USA*0@32");
    assert_eq!(
        Scenario::from_items(&["screen:exit:CHN=0.3"])
            .unwrap()
            .levers
            .len(),
        1
    );
}

#[test]
fn seeds_parse() {
    let s: Seed = "CHN:10@35".parse().unwrap();
    assert_eq!((s.place.as_str(), s.count, s.day), ("CHN", 10, 35));
    assert_eq!(s.to_string(), "CHN:10@35");
    let s: Seed = "ITA:3".parse().unwrap();
    assert_eq!(s.day, 0);
    for (bad, token) in [
        ("CHN:0", "0"),
        ("CHN", "CHN"),
        ("CHN:x@1", "x"),
        ("CHN:4@y", "y"),
    ] {
        match bad.parse::<Seed>() {
            Err(EpidemicError::Seed { token: t, .. }) => assert_eq!(t, token, "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
}

fn place() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9_.]{0,5}"
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (place(), 0.0f64..=1.0).prop_map(|(place, factor)| Action::Travel { place, factor }),
        (place(), place(), 0.0f64..=1.0)
            .prop_filter("two ends", |(a, b, _)| a != b)
            .prop_map(|(a, b, factor)| Action::Route { a, b, factor }),
        (place(), 0.0f64..=1.0).prop_map(|(place, factor)| Action::Distancing { place, factor }),
        (place(), 0.0f64..=1.0, any::<bool>()).prop_map(|(place, fraction, exit)| Action::Screen {
            side: if exit { Side::Exit } else { Side::Entry },
            place,
            fraction
        }),
        (place(), 0.0f64..1.0, any::<bool>()).prop_map(|(place, fraction, daily)| {
            Action::Vaccinate {
                place,
                fraction,
                daily,
            }
        }),
    ]
}

proptest! {
    #[test]
    fn levers_round_trip(a in action(), start in 0u32..100_000, len in prop::option::of(1u32..1000)) {
        let once = matches!(a, Action::Vaccinate { daily: false, .. });
        let end = if once { None } else { len.map(|l| start + l) };
        let l = Lever { action: a, start, end };
        let text = l.to_string();
        prop_assert_eq!(text.parse::<Lever>().unwrap(), l, "{}", text);
    }

    #[test]
    fn parsing_never_panics(s in ".{0,40}") {
        let _ = s.parse::<Lever>();
        let _ = Scenario::parse(&s);
        let _ = s.parse::<Seed>();
    }
}
