//! TopoJSON parsing (<https://github.com/topojson/topojson-specification>), for the Natural Earth
//! world atlas (`world-atlas` 2.0.2: `countries-110m.json`, `countries-50m.json`,
//! `land-110m.json`).
//!
//! A topology stores shared borders once, as *arcs*; geometries refer to arcs by index, a
//! negative index `i` meaning arc `!i` (that is `-i - 1`) reversed. With a `transform`, arc
//! positions are quantized integers, delta-encoded: each position after the first is an offset
//! from the previous one, and `lon = x * scale[0] + translate[0]` (likewise `lat`).
//!
//! [`Topology::parse`] decodes every arc and assembles every polygon of every object eagerly, so
//! all errors surface there, each naming where it is (`objects["countries"].geometries[12] (id
//! "124", "Canada").arcs[0][3]`, `arcs[57][4]`) and what is wrong. Checks: JSON shape, finite
//! numbers, coordinates within longitude ±180 and latitude ±90 (this module reads geographic
//! topologies only), arc indices in range, consecutive arcs of a ring joining, rings closed with at
//! least four positions. Input is outside data: no input makes it panic (a proptest checks).
//!
//! Geometries without an `id` (in the 110m file: N. Cyprus, Somaliland, Kosovo) or with a `null`
//! type are kept, with `id: None` or an empty [`MultiPolygon`]: nothing is dropped, and
//! [`ObjectSummary`] counts them. Ids are returned raw (ISO 3166-1 numeric as a string in
//! world-atlas, e.g. `"032"` for Argentina); mapping them to ISO3 keys is the caller's business.
//! Only polygonal geometries (Polygon, MultiPolygon, nested GeometryCollection, null) are
//! accepted; a Point or LineString in a topology read for maps is reported as unsupported.

use serde_json::Value;

/// A position in degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// A closed ring: the first and last positions are equal, at least four positions.
pub type Ring = Vec<LonLat>;

/// A polygon: the first ring is the exterior, any further rings are holes. Ring orientation is
/// kept as stored (world-atlas uses d3's spherical convention); the map fills with the even-odd
/// rule, so orientation does not matter there.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Polygon {
    pub rings: Vec<Ring>,
}

/// Zero or more polygons. Empty for a geometry of type `null`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MultiPolygon {
    pub polygons: Vec<Polygon>,
}

impl MultiPolygon {
    pub fn is_empty(&self) -> bool {
        self.polygons.is_empty()
    }

    /// Number of positions over all rings.
    pub fn positions(&self) -> usize {
        self.polygons
            .iter()
            .flat_map(|p| &p.rings)
            .map(Vec::len)
            .sum()
    }
}

/// One geometry of an object: its raw `id`, `properties.name` and polygons.
#[derive(Clone, Debug, PartialEq)]
pub struct Feature {
    /// The TopoJSON `id` as stored (a JSON number is written in decimal).
    pub id: Option<String>,
    pub name: Option<String>,
    pub geometry: MultiPolygon,
}

/// Counts over one object's features, for reporting what the map will lack.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectSummary {
    pub features: usize,
    pub without_id: usize,
    pub without_name: usize,
    pub without_geometry: usize,
}

/// A parsed topology: every object as a list of features, in file order.
#[derive(Clone, Debug)]
pub struct Topology {
    objects: Vec<(String, Vec<Feature>)>,
    arcs: usize,
}

/// What is wrong with a topology, and where.
#[derive(Debug, thiserror::Error)]
pub enum TopoError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{at}: expected {expected}, found {found}")]
    Shape {
        at: String,
        expected: &'static str,
        found: String,
    },
    #[error("{at}: arc index {index} is out of range (the topology has {count} arcs)")]
    ArcIndex {
        at: String,
        index: i64,
        count: usize,
    },
    #[error(
        "arcs[{arc}][{position}]: position ({lon}, {lat}) is outside longitude -180..180 / latitude -90..90"
    )]
    OutOfRange {
        arc: usize,
        position: usize,
        lon: f64,
        lat: f64,
    },
    #[error("{at}: {problem}")]
    Ring { at: String, problem: RingProblem },
    #[error(
        "{at}: geometry type {kind:?} is not supported here (only Polygon, MultiPolygon, GeometryCollection and null)"
    )]
    Unsupported { at: String, kind: String },
    #[error("the topology has no object {name:?} (it has: {available})")]
    MissingObject { name: String, available: String },
}

/// Why a ring could not be assembled.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RingProblem {
    #[error("ring has no arcs")]
    NoArcs,
    #[error("ring has {0} positions; a closed ring needs at least 4")]
    TooShort(usize),
    #[error("ring is not closed: starts at ({0}, {1}), ends at ({2}, {3})")]
    NotClosed(f64, f64, f64, f64),
    #[error("arc {index} (item {item} of the ring) does not start where the previous arc ends")]
    Gap { item: usize, index: i64 },
}

/// Positions closer than this (degrees) count as the same point when joining and closing rings.
const SAME: f64 = 1e-9;
/// Tolerance for coordinates just outside ±180 / ±90 (clamped onto the bound).
const RANGE_SLACK: f64 = 1e-6;

impl Topology {
    /// Parses and fully validates a TopoJSON topology.
    pub fn parse(bytes: &[u8]) -> Result<Self, TopoError> {
        let root: Value = serde_json::from_slice(bytes)?;
        let root = as_object(&root, "the document", "a JSON object")?;
        match root.get("type") {
            Some(Value::String(t)) if t == "Topology" => {}
            other => return Err(shape("type", "\"Topology\"", other)),
        }
        let transform = match root.get("transform") {
            None | Some(Value::Null) => None,
            Some(t) => Some(Transform::parse(t)?),
        };
        let arcs_v = match root.get("arcs") {
            Some(Value::Array(a)) => a,
            other => return Err(shape("arcs", "an array of arcs", other)),
        };
        let arcs = arcs_v
            .iter()
            .enumerate()
            .map(|(i, a)| decode_arc(i, a, transform.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let objects_v = match root.get("objects") {
            Some(Value::Object(o)) => o,
            other => return Err(shape("objects", "an object of named geometries", other)),
        };
        let mut objects = Vec::with_capacity(objects_v.len());
        for (name, obj) in objects_v {
            let at = format!("objects[{}]", json_str(name));
            let features = object_features(&at, obj, &arcs)?;
            objects.push((name.clone(), features));
        }
        Ok(Topology {
            objects,
            arcs: arcs.len(),
        })
    }

    /// The features of the object `name` (e.g. `"countries"`, `"land"`).
    pub fn object(&self, name: &str) -> Result<&[Feature], TopoError> {
        self.objects
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.as_slice())
            .ok_or_else(|| TopoError::MissingObject {
                name: name.to_string(),
                available: self
                    .objects
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// The `countries` object of a world-atlas file: raw id, name and polygons per country.
    pub fn countries(&self) -> Result<&[Feature], TopoError> {
        self.object("countries")
    }

    /// Object names in file order.
    pub fn object_names(&self) -> impl Iterator<Item = &str> {
        self.objects.iter().map(|(n, _)| n.as_str())
    }

    /// Number of arcs in the topology.
    pub fn arc_count(&self) -> usize {
        self.arcs
    }

    /// Counts of features lacking an id, a name or geometry in the object `name`.
    pub fn summary(&self, name: &str) -> Result<ObjectSummary, TopoError> {
        let f = self.object(name)?;
        Ok(ObjectSummary {
            features: f.len(),
            without_id: f.iter().filter(|f| f.id.is_none()).count(),
            without_name: f.iter().filter(|f| f.name.is_none()).count(),
            without_geometry: f.iter().filter(|f| f.geometry.is_empty()).count(),
        })
    }
}

struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

impl Transform {
    fn parse(v: &Value) -> Result<Self, TopoError> {
        let o = as_object(v, "transform", "an object with scale and translate")?;
        let pair = |key: &'static str| -> Result<[f64; 2], TopoError> {
            let at = format!("transform.{key}");
            match o.get(key) {
                Some(Value::Array(a)) if a.len() == 2 => {
                    Ok([finite(&a[0], &at)?, finite(&a[1], &at)?])
                }
                other => Err(shape(&at, "an array of two numbers", other)),
            }
        };
        Ok(Transform {
            scale: pair("scale")?,
            translate: pair("translate")?,
        })
    }
}

fn decode_arc(i: usize, v: &Value, t: Option<&Transform>) -> Result<Vec<LonLat>, TopoError> {
    let at = format!("arcs[{i}]");
    let positions = match v {
        Value::Array(a) if a.len() >= 2 => a,
        other => {
            return Err(shape(
                &at,
                "an array of at least two positions",
                Some(other),
            ));
        }
    };
    let mut out = Vec::with_capacity(positions.len());
    let (mut x, mut y) = (0.0f64, 0.0f64);
    for (j, p) in positions.iter().enumerate() {
        let pat = format!("arcs[{i}][{j}]");
        let (px, py) = match p {
            Value::Array(c) if c.len() >= 2 => (finite(&c[0], &pat)?, finite(&c[1], &pat)?),
            other => return Err(shape(&pat, "a position [x, y]", Some(other))),
        };
        let (lon, lat) = match t {
            Some(t) => {
                x += px;
                y += py;
                (
                    x * t.scale[0] + t.translate[0],
                    y * t.scale[1] + t.translate[1],
                )
            }
            None => (px, py),
        };
        let bad = !(lon.is_finite() && lat.is_finite())
            || lon.abs() > 180.0 + RANGE_SLACK
            || lat.abs() > 90.0 + RANGE_SLACK;
        if bad {
            return Err(TopoError::OutOfRange {
                arc: i,
                position: j,
                lon,
                lat,
            });
        }
        out.push(LonLat {
            lon: lon.clamp(-180.0, 180.0),
            lat: lat.clamp(-90.0, 90.0),
        });
    }
    Ok(out)
}

fn object_features(at: &str, obj: &Value, arcs: &[Vec<LonLat>]) -> Result<Vec<Feature>, TopoError> {
    let o = as_object(obj, at, "a geometry object")?;
    if o.get("type").and_then(Value::as_str) == Some("GeometryCollection") {
        let geoms = match o.get("geometries") {
            Some(Value::Array(g)) => g,
            other => {
                return Err(shape(
                    &format!("{at}.geometries"),
                    "an array of geometries",
                    other,
                ));
            }
        };
        geoms
            .iter()
            .enumerate()
            .map(|(i, g)| feature(&format!("{at}.geometries[{i}]"), g, arcs))
            .collect()
    } else {
        Ok(vec![feature(at, obj, arcs)?])
    }
}

fn feature(at: &str, g: &Value, arcs: &[Vec<LonLat>]) -> Result<Feature, TopoError> {
    let o = as_object(g, at, "a geometry object")?;
    let id = match o.get("id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        other => return Err(shape(&format!("{at}.id"), "a string or number", other)),
    };
    let name = match o.get("properties") {
        None | Some(Value::Null) => None,
        Some(Value::Object(p)) => match p.get("name") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            other => return Err(shape(&format!("{at}.properties.name"), "a string", other)),
        },
        other => return Err(shape(&format!("{at}.properties"), "an object", other)),
    };
    // Name the geometry by id and name in every error about its rings.
    let label = match (&id, &name) {
        (None, None) => at.to_string(),
        (Some(i), None) => format!("{at} (id {})", json_str(i)),
        (None, Some(n)) => format!("{at} ({})", json_str(n)),
        (Some(i), Some(n)) => format!("{at} (id {}, {})", json_str(i), json_str(n)),
    };
    let mut geometry = MultiPolygon::default();
    polygons(&label, o, arcs, &mut geometry)?;
    Ok(Feature { id, name, geometry })
}

fn polygons(
    at: &str,
    o: &serde_json::Map<String, Value>,
    arcs: &[Vec<LonLat>],
    out: &mut MultiPolygon,
) -> Result<(), TopoError> {
    match o.get("type") {
        Some(Value::Null) => Ok(()),
        Some(Value::String(t)) => match t.as_str() {
            "Polygon" => {
                let rings = array(o.get("arcs"), &format!("{at}.arcs"), "an array of rings")?;
                out.polygons
                    .push(polygon(&format!("{at}.arcs"), rings, arcs)?);
                Ok(())
            }
            "MultiPolygon" => {
                let polys = array(o.get("arcs"), &format!("{at}.arcs"), "an array of polygons")?;
                for (i, p) in polys.iter().enumerate() {
                    let pat = format!("{at}.arcs[{i}]");
                    let rings = array(Some(p), &pat, "an array of rings")?;
                    out.polygons.push(polygon(&pat, rings, arcs)?);
                }
                Ok(())
            }
            "GeometryCollection" => {
                let geoms = array(
                    o.get("geometries"),
                    &format!("{at}.geometries"),
                    "an array of geometries",
                )?;
                for (i, g) in geoms.iter().enumerate() {
                    let gat = format!("{at}.geometries[{i}]");
                    polygons(&gat, as_object(g, &gat, "a geometry object")?, arcs, out)?;
                }
                Ok(())
            }
            other => Err(TopoError::Unsupported {
                at: at.to_string(),
                kind: other.to_string(),
            }),
        },
        other => Err(shape(&format!("{at}.type"), "a geometry type", other)),
    }
}

fn polygon(at: &str, rings: &[Value], arcs: &[Vec<LonLat>]) -> Result<Polygon, TopoError> {
    let mut p = Polygon {
        rings: Vec::with_capacity(rings.len()),
    };
    for (i, r) in rings.iter().enumerate() {
        let rat = format!("{at}[{i}]");
        let idx = array(Some(r), &rat, "an array of arc indices")?;
        p.rings.push(ring(&rat, idx, arcs)?);
    }
    Ok(p)
}

fn ring(at: &str, idx: &[Value], arcs: &[Vec<LonLat>]) -> Result<Ring, TopoError> {
    if idx.is_empty() {
        return Err(TopoError::Ring {
            at: at.to_string(),
            problem: RingProblem::NoArcs,
        });
    }
    let mut out: Ring = Vec::new();
    for (k, v) in idx.iter().enumerate() {
        let iat = format!("{at}[{k}]");
        let Some(i) = v.as_i64() else {
            return Err(shape(&iat, "an integer arc index", Some(v)));
        };
        let (a, reversed) = if i >= 0 {
            (i as u64, false)
        } else {
            ((!i) as u64, true)
        };
        let arc = usize::try_from(a)
            .ok()
            .and_then(|a| arcs.get(a))
            .ok_or_else(|| TopoError::ArcIndex {
                at: iat.clone(),
                index: i,
                count: arcs.len(),
            })?;
        let pts: Box<dyn Iterator<Item = &LonLat>> = if reversed {
            Box::new(arc.iter().rev())
        } else {
            Box::new(arc.iter())
        };
        let mut pts = pts.peekable();
        if let (Some(last), Some(first)) = (out.last(), pts.peek()) {
            if !same(last, first) {
                return Err(TopoError::Ring {
                    at: at.to_string(),
                    problem: RingProblem::Gap { item: k, index: i },
                });
            }
            pts.next();
        }
        out.extend(pts.copied());
    }
    if out.len() < 4 {
        return Err(TopoError::Ring {
            at: at.to_string(),
            problem: RingProblem::TooShort(out.len()),
        });
    }
    let (f, l) = (out[0], out[out.len() - 1]);
    if !same(&f, &l) {
        return Err(TopoError::Ring {
            at: at.to_string(),
            problem: RingProblem::NotClosed(f.lon, f.lat, l.lon, l.lat),
        });
    }
    *out.last_mut().expect("ring has positions") = f;
    Ok(out)
}

fn same(a: &LonLat, b: &LonLat) -> bool {
    (a.lon - b.lon).abs() <= SAME && (a.lat - b.lat).abs() <= SAME
}

fn array<'a>(
    v: Option<&'a Value>,
    at: &str,
    expected: &'static str,
) -> Result<&'a [Value], TopoError> {
    match v {
        Some(Value::Array(a)) => Ok(a),
        other => Err(shape(at, expected, other)),
    }
}

fn as_object<'a>(
    v: &'a Value,
    at: &str,
    expected: &'static str,
) -> Result<&'a serde_json::Map<String, Value>, TopoError> {
    match v {
        Value::Object(o) => Ok(o),
        other => Err(shape(at, expected, Some(other))),
    }
}

fn finite(v: &Value, at: &str) -> Result<f64, TopoError> {
    match v.as_f64() {
        Some(x) if x.is_finite() => Ok(x),
        _ => Err(shape(at, "a finite number", Some(v))),
    }
}

fn shape(at: &str, expected: &'static str, found: Option<&Value>) -> TopoError {
    TopoError::Shape {
        at: at.to_string(),
        expected,
        found: describe(found),
    }
}

/// A short description of a JSON value for error messages (long values are cut).
fn describe(v: Option<&Value>) -> String {
    let Some(v) = v else { return "nothing".into() };
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn json_str(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2x2-degree square as one arc, quantized with scale 1 and delta-encoded, plus a second
    /// square sharing nothing. `GEOMS` is spliced in.
    fn topo(geoms: &str) -> String {
        format!(
            r#"{{"type":"Topology","transform":{{"scale":[1,1],"translate":[0,0]}},
            "arcs":[[[0,0],[2,0],[0,2],[-2,0],[0,-2]],[[10,10],[0,1],[1,0]],[[11,11],[0,-1],[-1,0]]],
            "objects":{{"countries":{{"type":"GeometryCollection","geometries":[{geoms}]}}}}}}"#
        )
    }

    /// Parses `input`; `expect` is `Ok(number of features)` or `Err(substring of the error)`.
    fn check(input: &str, expect: Result<usize, &str>) {
        let got = Topology::parse(input.as_bytes());
        match (got, expect) {
            (Ok(t), Ok(n)) => assert_eq!(t.countries().unwrap().len(), n, "{input}"),
            (Err(e), Err(want)) => {
                let msg = e.to_string();
                assert!(msg.contains(want), "error {msg:?} should contain {want:?}");
            }
            (got, want) => panic!("{input}\ngot {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn good_inputs() {
        check(
            &topo(r#"{"type":"Polygon","arcs":[[0]],"id":"001","properties":{"name":"Sq"}}"#),
            Ok(1),
        );
        // Two arcs joined into one ring, forwards and both reversed (!2 = -3, !1 = -2).
        check(&topo(r#"{"type":"Polygon","arcs":[[1,2]]}"#), Ok(1));
        check(&topo(r#"{"type":"Polygon","arcs":[[-3,-2]]}"#), Ok(1));
        check(
            &topo(r#"{"type":"MultiPolygon","arcs":[[[0]],[[1,2]]],"id":7}"#),
            Ok(1),
        );
        check(
            &topo(r#"{"type":null,"properties":{"name":"Nowhere"}}"#),
            Ok(1),
        );
        check(&topo(""), Ok(0));
    }

    #[test]
    fn decoding() {
        let t = Topology::parse(topo(r#"{"type":"Polygon","arcs":[[1,2]],"id":7}"#).as_bytes())
            .unwrap();
        let f = &t.countries().unwrap()[0];
        assert_eq!(f.id.as_deref(), Some("7"));
        assert_eq!(f.name, None);
        let ring: Vec<(f64, f64)> = f.geometry.polygons[0].rings[0]
            .iter()
            .map(|p| (p.lon, p.lat))
            .collect();
        assert_eq!(
            ring,
            vec![
                (10.0, 10.0),
                (10.0, 11.0),
                (11.0, 11.0),
                (11.0, 10.0),
                (10.0, 10.0)
            ]
        );
    }

    #[test]
    fn bad_inputs() {
        check("", Err("not valid JSON"));
        check("[]", Err("the document: expected a JSON object"));
        check(r#"{"type":"Feature"}"#, Err("type: expected \"Topology\""));
        check(
            &topo(r#"{"type":"Polygon","arcs":[[3]],"id":"004","properties":{"name":"A"}}"#),
            Err(
                "objects[\"countries\"].geometries[0] (id \"004\", \"A\").arcs[0][0]: arc index 3 is out of range (the topology has 3 arcs)",
            ),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[-4]]}"#),
            Err("arc index -4 is out of range"),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[1.5]]}"#),
            Err("arcs[0][0]: expected an integer arc index, found 1.5"),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[["x"]]}"#),
            Err("expected an integer arc index, found \"x\""),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[1]]}"#),
            Err("ring has 3 positions"),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[1,-3]]}"#),
            Err("arc -3 (item 1 of the ring) does not start where"),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[]]}"#),
            Err("ring has no arcs"),
        );
        check(
            &topo(r#"{"type":"Point","coordinates":[0,0]}"#),
            Err("geometry type \"Point\" is not supported"),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[0]],"properties":{"name":5}}"#),
            Err("properties.name: expected a string, found 5"),
        );
        check(
            &topo(r#"{"type":"Polygon","arcs":[[0]],"id":[1]}"#),
            Err(".id: expected a string or number"),
        );
        let far = topo("").replace("[[10,10],[0,1],[1,0]]", "[[10,10],[0,1],[171,0]]");
        check(&far, Err("arcs[1][2]: position (181, 11) is outside"));
        let open = topo(r#"{"type":"Polygon","arcs":[[0]]}"#).replace("[0,-2]]", "[0,-1]]");
        check(
            &open,
            Err("ring is not closed: starts at (0, 0), ends at (0, 1)"),
        );
        check(
            &topo("").replace("\"scale\":[1,1]", "\"scale\":[1]"),
            Err("transform.scale: expected an array of two numbers"),
        );
        check(
            &topo("").replace("[[0,0],[2,0]", "[[0,0],[2,\"0\"]"),
            Err("arcs[0][1]: expected a finite number"),
        );
        let t = Topology::parse(topo("").as_bytes()).unwrap();
        assert_eq!(
            t.object("land").unwrap_err().to_string(),
            "the topology has no object \"land\" (it has: countries)"
        );
    }
}
