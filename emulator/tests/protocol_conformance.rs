//! The botocore (Smithy-generated and legacy) awsQuery / ec2Query protocol tests, run in
//! reverse: a client's request body must decode, through `Params`, to the case's `params`; and
//! the case's `result` (or error), written with `XmlWriter` inside our protocol envelopes, must
//! be the same XML tree as the case's response body.
//!
//! The data and its provenance are under `tests/data/protocols/` (see the README there).
//! The shape-driven encoder and decoder below are test scaffolding: the emulator's services
//! write their responses by hand, but they use the same `Params` and `XmlWriter` calls.

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine;
use quick_xml::events::Event;
use rolecall::protocol::{aws_query, ec2_query, Fault, Params, ParamsView, XmlWriter};
use serde_json::{Map, Value};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/protocols")
}

fn load_suites(relative: &str) -> Vec<Value> {
    let path = data_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    match serde_json::from_str(&text).expect("suite file is JSON") {
        Value::Array(suites) => suites,
        _ => panic!("{relative}: expected a list of suites"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Protocol {
    Query,
    Ec2,
}

/// Pass / skip / fail bookkeeping, printed at the end of each test.
#[derive(Default)]
struct Tally {
    passed: usize,
    skipped: Vec<String>,
    failed: Vec<String>,
}

impl Tally {
    fn finish(&self, label: &str) {
        println!(
            "{label}: {} passed, {} skipped, {} failed",
            self.passed,
            self.skipped.len(),
            self.failed.len()
        );
        for reason in &self.skipped {
            println!("  skipped: {reason}");
        }
        for failure in &self.failed {
            println!("  FAILED: {failure}");
        }
        assert!(self.failed.is_empty(), "{label}: {} failures", self.failed.len());
    }
}

/// The model of one suite: its shapes, looked up by name.
struct Shapes<'a>(&'a Map<String, Value>);

impl<'a> Shapes<'a> {
    fn get(&self, name: &str) -> &'a Value {
        self.0.get(name).unwrap_or_else(|| panic!("no shape {name}"))
    }

    /// The shape a reference (`{"shape": …, …member traits}`) points at.
    fn target(&self, reference: &Value) -> &'a Value {
        self.get(reference["shape"].as_str().expect("reference names a shape"))
    }
}

fn case_name(case: &Value, suite: &Value) -> String {
    case["id"].as_str().map(str::to_string).unwrap_or_else(|| {
        format!(
            "{} / {}",
            suite["description"].as_str().unwrap_or("?"),
            case["description"].as_str().unwrap_or("?")
        )
    })
}

fn str_of<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------

/// Epoch seconds (botocore's form in `params` and `result`) as a JSON number.
fn epoch_value(t: OffsetDateTime) -> Value {
    let nanos = t.unix_timestamp_nanos();
    if nanos % 1_000_000_000 == 0 {
        Value::from(t.unix_timestamp())
    } else {
        Value::from(nanos as f64 / 1e9)
    }
}

fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Rfc2822))
        .ok()
        .or_else(|| {
            // http-date uses "GMT", which RFC 2822 parsing also accepts; epoch seconds last.
            let secs: f64 = text.parse().ok()?;
            OffsetDateTime::from_unix_timestamp_nanos((secs * 1e9).round() as i128).ok()
        })
}

fn from_epoch(value: &Value) -> OffsetDateTime {
    let secs = value.as_f64().expect("timestamp is epoch seconds");
    OffsetDateTime::from_unix_timestamp_nanos((secs * 1e9).round() as i128).expect("valid time")
}

/// The timestamp format named on the member reference, else on the target shape.
fn timestamp_format<'v>(reference: &'v Value, shape: &'v Value) -> &'v str {
    str_of(reference, "timestampFormat")
        .or_else(|| str_of(shape, "timestampFormat"))
        .unwrap_or("iso8601")
}

// ---------------------------------------------------------------------------------------------
// Input direction: decode the form body with Params, driven by the shapes
// ---------------------------------------------------------------------------------------------

/// The flattened name of a structure member, per protocol.
fn input_member_name(protocol: Protocol, member_name: &str, reference: &Value) -> String {
    match protocol {
        // awsQuery: xmlName (botocore `locationName`) or the member name, as is.
        Protocol::Query => str_of(reference, "locationName")
            .unwrap_or(member_name)
            .to_string(),
        // ec2Query: ec2QueryName (`queryName`) as is, else xmlName or the member name with the
        // first letter upper-cased.
        Protocol::Ec2 => match str_of(reference, "queryName") {
            Some(name) => name.to_string(),
            None => capitalize(str_of(reference, "locationName").unwrap_or(member_name)),
        },
    }
}

struct Decoder<'a> {
    protocol: Protocol,
    shapes: Shapes<'a>,
}

impl Decoder<'_> {
    fn structure(&self, view: &ParamsView<'_>, shape: &Value) -> Value {
        let mut out = Map::new();
        let members = shape["members"].as_object().cloned().unwrap_or_default();
        for (member_name, reference) in &members {
            let name = input_member_name(self.protocol, member_name, reference);
            if let Some(value) = self.value(view, &name, reference) {
                out.insert(member_name.clone(), value);
            }
        }
        Value::Object(out)
    }

    /// The value of `name` under `view`, or None when nothing was sent for it.
    fn value(&self, view: &ParamsView<'_>, name: &str, reference: &Value) -> Option<Value> {
        let shape = self.shapes.target(reference);
        match shape["type"].as_str().unwrap_or("") {
            "structure" => view
                .contains(name)
                .then(|| self.structure(&view.sub(name), shape)),
            "list" => self.list(view, name, reference, shape),
            "map" => self.map(view, name, reference, shape),
            _ => view
                .get(name)
                .map(|text| self.scalar(text, reference, shape)),
        }
    }

    fn list(
        &self,
        view: &ParamsView<'_>,
        name: &str,
        reference: &Value,
        shape: &Value,
    ) -> Option<Value> {
        let member = &shape["member"];
        // Where the entries live: `Name.N` (ec2Query, and flattened awsQuery lists, renamed by
        // the member's xmlName), or `Name.member.N` / `Name.<xmlName>.N` (awsQuery).
        let base = match self.protocol {
            Protocol::Ec2 => name.to_string(),
            // A flattened list is named by its own xmlName (Smithy); the legacy botocore cases
            // name it by the list member's xmlName when the member reference has none.
            Protocol::Query if flag(reference, "flattened") || flag(shape, "flattened") => {
                match (str_of(reference, "locationName"), str_of(member, "locationName")) {
                    (None, Some(member_name)) => member_name.to_string(),
                    _ => name.to_string(),
                }
            }
            Protocol::Query => format!(
                "{name}.{}",
                str_of(member, "locationName").unwrap_or("member")
            ),
        };
        let entries: Vec<Value> = view
            .indexes(&base)
            .into_iter()
            .filter_map(|i| self.value(view, &format!("{base}.{i}"), member))
            .collect();
        // awsQuery sends an empty list as `Name=`.
        if entries.is_empty() && view.get(name).is_none() {
            return None;
        }
        Some(Value::Array(entries))
    }

    fn map(
        &self,
        view: &ParamsView<'_>,
        name: &str,
        reference: &Value,
        shape: &Value,
    ) -> Option<Value> {
        let flattened = flag(reference, "flattened") || flag(shape, "flattened");
        let base = if flattened {
            name.to_string()
        } else {
            format!("{name}.entry")
        };
        let key_name = str_of(&shape["key"], "locationName").unwrap_or("key");
        let value_name = str_of(&shape["value"], "locationName").unwrap_or("value");
        let mut out = Map::new();
        for entry in view.structs(&base) {
            let key = entry.get(key_name)?.to_string();
            let value = self.value(&entry, value_name, &shape["value"])?;
            out.insert(key, value);
        }
        (!out.is_empty()).then_some(Value::Object(out))
    }

    fn scalar(&self, text: &str, reference: &Value, shape: &Value) -> Value {
        match shape["type"].as_str().unwrap_or("") {
            "integer" | "long" => text.parse::<i64>().map(Value::from).unwrap_or(Value::Null),
            "float" | "double" => match text {
                "NaN" | "Infinity" | "-Infinity" => Value::from(text),
                _ => text.parse::<f64>().map(Value::from).unwrap_or(Value::Null),
            },
            "boolean" => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::Null,
            },
            "blob" => base64::engine::general_purpose::STANDARD
                .decode(text)
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(Value::from)
                .unwrap_or(Value::Null),
            "timestamp" => {
                let parsed = match timestamp_format(reference, shape) {
                    "unixTimestamp" => parse_timestamp(text),
                    _ => OffsetDateTime::parse(text, &Rfc3339)
                        .or_else(|_| OffsetDateTime::parse(text, &Rfc2822))
                        .ok(),
                };
                parsed.map(epoch_value).unwrap_or(Value::Null)
            }
            _ => Value::from(text),
        }
    }
}

/// JSON equality where numbers compare by value (an integer param may be a float member).
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x
                    .iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// Clients send nothing for an empty map, nor (ec2Query) for an empty list, so `{}` / `[]` in
/// `params` means "absent" there.
fn drop_empty_collections(value: &Value, protocol: Protocol) -> Value {
    let absent = |v: &Value| match v {
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => protocol == Protocol::Ec2 && a.is_empty(),
        _ => false,
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !absent(v))
                .map(|(k, v)| (k.clone(), drop_empty_collections(v, protocol)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| drop_empty_collections(v, protocol))
                .collect(),
        ),
        other => other.clone(),
    }
}

fn run_input_suites(files: &[(&str, Protocol)], label: &str) -> Tally {
    let mut tally = Tally::default();
    for (file, protocol) in files {
        for suite in load_suites(file) {
            let shapes = suite["shapes"].as_object().expect("suite has shapes");
            for case in suite["cases"].as_array().expect("suite has cases") {
                let name = case_name(case, &suite);
                let Some(body) = str_of(&case["serialized"], "body") else {
                    tally
                        .skipped
                        .push(format!("{name}: gzip-compressed request, no body in the data"));
                    continue;
                };
                let decoder = Decoder {
                    protocol: *protocol,
                    shapes: Shapes(shapes),
                };
                match check_input_case(&decoder, case, body) {
                    Ok(()) => tally.passed += 1,
                    Err(why) => tally.failed.push(format!("{file} {name}: {why}")),
                }
            }
        }
    }
    tally.finish(label);
    tally
}

fn check_input_case(decoder: &Decoder<'_>, case: &Value, body: &str) -> Result<(), String> {
    let params = Params::parse(body.as_bytes()).map_err(|e| format!("parse failed: {e}"))?;
    let operation = case["given"]["name"].as_str().unwrap_or_default();
    if params.action() != Some(operation) {
        return Err(format!("Action is {:?}, want {operation}", params.action()));
    }
    if params.version().is_none() {
        return Err("no Version".to_string());
    }
    let decoded = match case["given"].get("input") {
        Some(input) => decoder.structure(&params.view(), decoder.shapes.target(input)),
        None => Value::Object(Map::new()),
    };
    let mut got = decoded;
    // A client auto-fills an idempotency token the caller left out; the server just reads it.
    if let (Some(input), Some(decoded)) = (case["given"].get("input"), got.as_object_mut()) {
        let members = &decoder.shapes.target(input)["members"];
        decoded.retain(|member, _| {
            !flag(&members[member], "idempotencyToken") || case["params"].get(member).is_some()
        });
    }
    // Nothing is sent for an empty map (both protocols) or an empty ec2Query list.
    let expected = drop_empty_collections(&case["params"], decoder.protocol);
    let got = drop_empty_collections(&got, decoder.protocol);
    if json_eq(&got, &expected) {
        Ok(())
    } else {
        Err(format!("decoded {got} but params are {expected}"))
    }
}

#[test]
fn query_requests_decode_to_their_params() {
    let tally = run_input_suites(
        &[
            ("botocore/input/query.json", Protocol::Query),
            ("botocore/legacy/input/query.json", Protocol::Query),
        ],
        "awsQuery input",
    );
    // 38 generated + 25 legacy cases; only the two gzip cases have no body.
    assert_eq!(tally.passed, 61);
}

#[test]
fn ec2_requests_decode_to_their_params() {
    let tally = run_input_suites(
        &[
            ("botocore/input/ec2.json", Protocol::Ec2),
            ("botocore/legacy/input/ec2.json", Protocol::Ec2),
        ],
        "ec2Query input",
    );
    // 29 generated + 12 legacy cases; only the two gzip cases have no body.
    assert_eq!(tally.passed, 39);
}
