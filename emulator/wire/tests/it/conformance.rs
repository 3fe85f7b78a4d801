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
use rolecall_wire::{aws_query, ec2_query, AwsError, Params, ParamsView, XmlWriter};
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

impl Protocol {
    /// The protocol's name, as the tallies print it.
    fn label(self) -> &'static str {
        match self {
            Protocol::Query => "awsQuery",
            Protocol::Ec2 => "ec2Query",
        }
    }

    /// The stem of the protocol's botocore suite files.
    fn file_stem(self) -> &'static str {
        match self {
            Protocol::Query => "query",
            Protocol::Ec2 => "ec2",
        }
    }
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
        assert!(
            self.failed.is_empty(),
            "{label}: {} failures",
            self.failed.len()
        );
    }
}

/// The model of one suite: its shapes, looked up by name.
#[derive(Clone, Copy)]
struct Shapes<'a>(&'a Map<String, Value>);

impl<'a> Shapes<'a> {
    fn get(&self, name: &str) -> &'a Value {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("no shape {name}"))
    }

    /// The shape a reference (`{"shape": …, …member traits}`) points at.
    fn target(&self, reference: &Value) -> &'a Value {
        self.get(
            reference["shape"]
                .as_str()
                .expect("reference names a shape"),
        )
    }
}

/// What checking one case came to.
enum CaseResult {
    Checked(Result<(), String>),
    Skipped(&'static str),
}

/// Checks every case of the generated and the legacy botocore suite of `protocol` in
/// `direction` (`input` or `output`), then prints the tally and fails on any failure. `check`
/// gets the suite's shapes, whether the suite is the legacy one, and the case.
fn run_suites(
    direction: &str,
    protocol: Protocol,
    check: impl Fn(Shapes<'_>, bool, &Value) -> CaseResult,
) -> Tally {
    let mut tally = Tally::default();
    for (legacy, folder) in [(false, "botocore"), (true, "botocore/legacy")] {
        let file = format!("{folder}/{direction}/{}.json", protocol.file_stem());
        for suite in load_suites(&file) {
            let shapes = Shapes(suite["shapes"].as_object().expect("suite has shapes"));
            for case in suite["cases"].as_array().expect("suite has cases") {
                let name = case_name(case, &suite);
                match check(shapes, legacy, case) {
                    CaseResult::Checked(Ok(())) => tally.passed += 1,
                    CaseResult::Checked(Err(why)) => {
                        tally.failed.push(format!("{file} {name}: {why}"))
                    }
                    CaseResult::Skipped(why) => tally.skipped.push(format!("{name}: {why}")),
                }
            }
        }
    }
    tally.finish(&format!("{} {direction}", protocol.label()));
    tally
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

#[allow(
    clippy::cast_possible_truncation,
    reason = "the cases' epoch seconds are small"
)]
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

#[allow(
    clippy::cast_possible_truncation,
    reason = "the cases' epoch seconds are small"
)]
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
    /// Hand-written botocore cases, which predate Smithy's flattened-list naming.
    legacy: bool,
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
                match (
                    str_of(reference, "locationName"),
                    str_of(member, "locationName"),
                ) {
                    (None, Some(member_name)) if self.legacy => member_name.to_string(),
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
                && x.iter()
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

fn run_input_suites(protocol: Protocol) -> Tally {
    run_suites("input", protocol, |shapes, legacy, case| {
        let Some(body) = str_of(&case["serialized"], "body") else {
            return CaseResult::Skipped("gzip-compressed request, no body in the data");
        };
        let decoder = Decoder {
            protocol,
            shapes,
            legacy,
        };
        CaseResult::Checked(check_input_case(&decoder, case, body))
    })
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
    // 38 generated + 25 legacy cases; only the two gzip cases have no body.
    assert_eq!(run_input_suites(Protocol::Query).passed, 61);
}

#[test]
fn ec2_requests_decode_to_their_params() {
    // 29 generated + 12 legacy cases; only the two gzip cases have no body.
    assert_eq!(run_input_suites(Protocol::Ec2).passed, 39);
}

// ---------------------------------------------------------------------------------------------
// Output direction: write `result` with XmlWriter inside our envelopes, compare the XML trees
// ---------------------------------------------------------------------------------------------

/// `xmlns` / `xmlns:prefix` declarations a member reference asks for.
fn namespace_attrs(reference: &Value) -> Vec<(String, String)> {
    match reference.get("xmlNamespace") {
        Some(Value::String(uri)) => vec![("xmlns".to_string(), uri.clone())],
        Some(ns) => {
            let uri = str_of(ns, "uri").unwrap_or_default().to_string();
            match str_of(ns, "prefix") {
                Some(prefix) => vec![(format!("xmlns:{prefix}"), uri)],
                None => vec![("xmlns".to_string(), uri)],
            }
        }
        None => Vec::new(),
    }
}

fn open(xml: &mut XmlWriter, name: &str, reference: &Value) {
    let attrs = namespace_attrs(reference);
    let borrowed: Vec<(&str, &str)> = attrs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    xml.start_with_attrs(name, &borrowed);
}

struct Encoder<'a> {
    shapes: Shapes<'a>,
    /// Hand-written botocore cases, which predate Smithy's flattened-list naming.
    legacy: bool,
}

impl Encoder<'_> {
    /// The members of a structure, in model order.
    fn members(&self, xml: &mut XmlWriter, shape: &Value, value: &Value) {
        let Some(members) = shape["members"].as_object() else {
            return;
        };
        for (member_name, reference) in members {
            if let Some(member_value) = value.get(member_name) {
                let name = str_of(reference, "locationName").unwrap_or(member_name);
                self.value(xml, name, reference, member_value);
            }
        }
    }

    fn value(&self, xml: &mut XmlWriter, name: &str, reference: &Value, value: &Value) {
        let shape = self.shapes.target(reference);
        match shape["type"].as_str().unwrap_or("") {
            "structure" => {
                open(xml, name, reference);
                self.members(xml, shape, value);
                xml.end();
            }
            "list" => self.list(xml, name, reference, shape, value),
            "map" => self.map(xml, name, reference, shape, value),
            _ => {
                open(xml, name, reference);
                xml.text(&self.scalar(reference, shape, value));
                xml.end();
            }
        }
    }

    fn list(&self, xml: &mut XmlWriter, name: &str, reference: &Value, shape: &Value, v: &Value) {
        let member = &shape["member"];
        let items = v.as_array().cloned().unwrap_or_default();
        if flag(reference, "flattened") || flag(shape, "flattened") {
            // Flattened: one element per entry, named like the member itself (Smithy: the
            // list member's xmlName does not apply; the legacy botocore cases rename the
            // entries through it when the member reference has no name of its own).
            let name = match (
                str_of(reference, "locationName"),
                str_of(member, "locationName"),
            ) {
                (None, Some(member_name)) if self.legacy => member_name,
                _ => name,
            };
            for item in &items {
                self.value(xml, name, member, item);
            }
        } else {
            let entry = str_of(member, "locationName").unwrap_or("member");
            open(xml, name, reference);
            for item in &items {
                self.value(xml, entry, member, item);
            }
            xml.end();
        }
    }

    fn map(&self, xml: &mut XmlWriter, name: &str, reference: &Value, shape: &Value, v: &Value) {
        let key_ref = &shape["key"];
        let value_ref = &shape["value"];
        let key_name = str_of(key_ref, "locationName").unwrap_or("key");
        let value_name = str_of(value_ref, "locationName").unwrap_or("value");
        let entries = v.as_object().cloned().unwrap_or_default();
        let write_entry = |xml: &mut XmlWriter, key: &str, value: &Value| {
            self.value(xml, key_name, key_ref, &Value::from(key));
            self.value(xml, value_name, value_ref, value);
        };
        if flag(reference, "flattened") || flag(shape, "flattened") {
            for (key, value) in &entries {
                open(xml, name, reference);
                write_entry(xml, key, value);
                xml.end();
            }
        } else {
            open(xml, name, reference);
            for (key, value) in &entries {
                xml.nest("entry", |xml| write_entry(xml, key, value));
            }
            xml.end();
        }
    }

    fn scalar(&self, reference: &Value, shape: &Value, value: &Value) -> String {
        match shape["type"].as_str().unwrap_or("") {
            "blob" => base64::engine::general_purpose::STANDARD
                .encode(value.as_str().unwrap_or_default().as_bytes()),
            "timestamp" => {
                let t = from_epoch(value);
                match timestamp_format(reference, shape) {
                    "unixTimestamp" => epoch_value(t).to_string(),
                    "rfc822" => t.format(&Rfc2822).unwrap_or_default(),
                    _ if t.nanosecond() != 0 => rolecall_wire::format_timestamp_millis(t),
                    _ => rolecall_wire::format_timestamp(t),
                }
            }
            _ => match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            },
        }
    }
}

/// A parsed XML element: name, attributes (sorted), trimmed text, children.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

fn parse_xml(text: &str) -> Result<Node, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let event = reader.read_event().map_err(|e| e.to_string())?;
        let self_closing = matches!(event, Event::Empty(_));
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_none() => {
                let name = start.name().as_ref().to_string();
                let mut attrs = BTreeMap::new();
                for attr in start.attributes() {
                    let attr = attr.map_err(|e| e.to_string())?;
                    let key = attr.key.as_ref().to_string();
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| e.to_string())?
                        .into_owned();
                    // `xmlns=""` declares no namespace, the same as leaving it out.
                    if !(key == "xmlns" && value.is_empty()) {
                        attrs.insert(key, value);
                    }
                }
                let node = Node {
                    name,
                    attrs,
                    text: String::new(),
                    children: Vec::new(),
                };
                if self_closing {
                    close(&mut stack, node, &mut root);
                } else {
                    stack.push(node);
                }
            }
            Event::End(_) => {
                let node = stack.pop().ok_or("unbalanced end tag")?;
                close(&mut stack, node, &mut root);
            }
            // Text arrives without entity references; those come as separate events.
            Event::Text(text) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text.into_inner());
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(top) = stack.last_mut() {
                    let entity = format!("&{};", reference.into_inner());
                    let resolved =
                        quick_xml::escape::unescape(&entity).map_err(|e| e.to_string())?;
                    top.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut root = root.ok_or("no root element")?;
    normalize(&mut root);
    Ok(root)
}

fn close(stack: &mut [Node], node: Node, root: &mut Option<Node>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(node),
        None => *root = Some(node),
    }
}

/// Trim text, drop request ids (they differ by design), and order children by name while
/// keeping same-named siblings (list entries) in document order.
fn normalize(node: &mut Node) {
    node.text = node.text.trim().to_string();
    node.children.retain(|child| {
        !matches!(
            child.name.as_str(),
            "ResponseMetadata" | "RequestId" | "requestId" | "RequestID"
        )
    });
    for child in &mut node.children {
        normalize(child);
    }
    node.children.sort_by(|a, b| a.name.cmp(&b.name));
}

/// Leaf texts are equal as text, as numbers, or as instants (a client reads all of these the
/// same way; `appliesTo: client` cases use offsets and fractions).
#[allow(
    clippy::float_cmp,
    reason = "the same number written two ways parses to one float"
)]
fn same_text(ours: &str, theirs: &str) -> bool {
    if ours == theirs {
        return true;
    }
    if let (Ok(a), Ok(b)) = (ours.parse::<f64>(), theirs.parse::<f64>()) {
        return a == b;
    }
    matches!((parse_timestamp(ours), parse_timestamp(theirs)), (Some(a), Some(b)) if a == b)
}

fn same_tree(ours: &Node, theirs: &Node, path: &str) -> Result<(), String> {
    let here = format!("{path}/{}", theirs.name);
    if ours.name != theirs.name {
        return Err(format!("{here}: element {} instead", ours.name));
    }
    if ours.attrs != theirs.attrs {
        return Err(format!(
            "{here}: attributes {:?} vs {:?}",
            ours.attrs, theirs.attrs
        ));
    }
    if !same_text(&ours.text, &theirs.text) {
        return Err(format!("{here}: text {:?} vs {:?}", ours.text, theirs.text));
    }
    if ours.children.len() != theirs.children.len() {
        let names = |n: &Node| {
            n.children
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        return Err(format!(
            "{here}: children {:?} vs {:?}",
            names(ours),
            names(theirs)
        ));
    }
    let mut unmatched: Vec<&Node> = theirs.children.iter().collect();
    for (index, a) in ours.children.iter().enumerate() {
        if is_map_entry(a) {
            // Map entries have no order (and serde_json's map sorts keys): match any entry.
            let found = unmatched
                .iter()
                .position(|b| is_map_entry(b) && same_tree(a, b, &here).is_ok());
            match found {
                Some(at) => {
                    unmatched.remove(at);
                }
                None => return Err(format!("{here}: no entry like {a:?}")),
            }
        } else {
            same_tree(a, &theirs.children[index], &here)?;
            let at = unmatched
                .iter()
                .position(|b| std::ptr::eq(*b, &theirs.children[index]));
            if let Some(at) = at {
                unmatched.remove(at);
            }
        }
    }
    Ok(())
}

/// A map entry: `<entry>` (wrapped maps) or a flattened / renamed entry, which is an element
/// holding exactly a key and a value and no text. Lists of two-member structures look the
/// same, so their order goes unchecked; every other list is compared in order.
fn is_map_entry(node: &Node) -> bool {
    node.name == "entry" || (node.text.is_empty() && node.children.len() == 2)
}

/// Drops `<Type>` under `<Error>`: the legacy cases put arbitrary text there that is not part
/// of the case's data, and our envelope always writes Sender or Receiver.
fn strip_error_type(node: &mut Node) {
    if node.name == "Error" {
        node.children.retain(|child| child.name != "Type");
    }
    for child in &mut node.children {
        strip_error_type(child);
    }
}

fn strip_messages(node: &mut Node) {
    node.children.retain(|child| child.name != "Message");
    for child in &mut node.children {
        strip_messages(child);
    }
}

/// Writes the case's result or error with our envelopes.
fn render_case(
    protocol: Protocol,
    shapes: &Shapes<'_>,
    legacy: bool,
    case: &Value,
    expected: &Node,
) -> String {
    let encoder = Encoder {
        shapes: *shapes,
        legacy,
    };
    let namespace = expected.attrs.get("xmlns").cloned().unwrap_or_default();
    let operation = case["given"]["name"].as_str().unwrap_or_default();
    if let Some(code) = str_of(case, "errorCode") {
        let message = str_of(case, "errorMessage").unwrap_or_default().to_string();
        // AwsError codes are static text; a test's few dozen codes are leaked to make them so.
        let error = AwsError::new(400, String::leak(code.to_string()), message);
        return match protocol {
            Protocol::Query => aws_query::error(&namespace, &error, "id"),
            Protocol::Ec2 => ec2_query::error(&error, "id"),
        };
    }
    let output = case["given"].get("output");
    let write_members = |xml: &mut XmlWriter| {
        if let Some(output) = output {
            encoder.members(xml, shapes.target(output), &case["result"]);
        }
    };
    match protocol {
        Protocol::Query if output.is_none() => {
            aws_query::success_without_result(&namespace, operation, "id")
        }
        Protocol::Query => aws_query::success(&namespace, operation, "id", write_members),
        Protocol::Ec2 => ec2_query::success_in(&namespace, operation, "id", 0, write_members),
    }
}

fn check_output_case(
    protocol: Protocol,
    shapes: &Shapes<'_>,
    legacy: bool,
    case: &Value,
) -> Result<(), String> {
    let body = str_of(&case["response"], "body").unwrap_or_default();
    let mut expected = parse_xml(body).map_err(|e| format!("expected body: {e}"))?;
    let rendered = render_case(protocol, shapes, legacy, case, &expected);
    let mut ours = parse_xml(&rendered).map_err(|e| format!("our body {rendered}: {e}"))?;
    strip_error_type(&mut expected);
    strip_error_type(&mut ours);
    if case.get("errorCode").is_some() && case.get("errorMessage").is_none() {
        // The case models no message, so neither side's <Message> is comparable.
        strip_messages(&mut expected);
        strip_messages(&mut ours);
    }
    same_tree(&ours, &expected, "").map_err(|e| format!("{e}\n    ours: {rendered}"))
}

fn run_output_suites(protocol: Protocol) -> Tally {
    run_suites("output", protocol, |shapes, legacy, case| {
        if str_of(&case["response"], "body").is_none_or(|b| b.trim().is_empty()) {
            return CaseResult::Skipped("no response body to compare");
        }
        if case["error"]
            .as_object()
            .is_some_and(|e| e.keys().any(|k| k != "Message" && k != "Code"))
        {
            return CaseResult::Skipped(
                "an error with modeled members besides its message: no error rolecall answers has any",
            );
        }
        if let Some(code) = str_of(case, "errorCode") {
            if !shapes.0.contains_key(code)
                && case["error"]
                    .as_object()
                    .is_some_and(|e| e.keys().all(|k| k == "Message" || k == "Code"))
                && str_of(&case["response"], "body").is_some_and(|b| b.contains("<BodyMember>"))
            {
                return CaseResult::Skipped(
                    "unmodeled error whose body carries members the case gives no data for",
                );
            }
        }
        CaseResult::Checked(check_output_case(protocol, &shapes, legacy, case))
    })
}

#[test]
fn query_results_serialize_to_their_bodies() {
    // 38 generated + 19 legacy cases; three have no body, three errors have modeled members
    // besides the message, one legacy error has unknown members.
    assert_eq!(run_output_suites(Protocol::Query).passed, 50);
}

#[test]
fn ec2_results_serialize_to_their_bodies() {
    // 29 generated + 13 legacy cases; three errors have modeled members besides the message,
    // one legacy error has members the case gives no data for.
    assert_eq!(run_output_suites(Protocol::Ec2).passed, 38);
}

// ---------------------------------------------------------------------------------------------
// The two Smithy cases newer than the botocore JSON, read from the .smithy files
// ---------------------------------------------------------------------------------------------

/// The text of the first `key: "…"` or `key: """…"""` after `id: "<id>"` in a .smithy file.
fn smithy_case_string(relative: &str, id: &str, key: &str) -> String {
    let path = data_dir().join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let start = text
        .find(&format!("id: \"{id}\""))
        .unwrap_or_else(|| panic!("{id} not in {relative}"));
    let rest = &text[start..];
    let at = rest.find(&format!("{key}: ")).expect("key present") + key.len() + 2;
    let rest = &rest[at..];
    if let Some(block) = rest.strip_prefix("\"\"\"") {
        block[..block.find("\"\"\"").expect("closed block")].to_string()
    } else {
        let quoted = rest.strip_prefix('"').expect("a string");
        quoted[..quoted.find('"').expect("closed string")].to_string()
    }
}

#[test]
fn ec2_query_name_beats_xml_name_and_member_name() {
    let body = smithy_case_string(
        "smithy/model/ec2Query/input.smithy",
        "Ec2QueryNameDistinctFromXmlNameAndMemberName",
        "body",
    );
    // The members as modeled there: DistinctQueryName @ec2QueryName("QueryName");
    // DistinctQueryAndXmlName @ec2QueryName("queryAndXmlName") @xmlName("xmlAndQueryName");
    // DistinctXmlName @xmlName("xmlNameOnly").
    let shapes = serde_json::json!({
        "Input": {"type": "structure", "members": {
            "DistinctQueryName": {"shape": "String", "queryName": "QueryName"},
            "DistinctQueryAndXmlName": {"shape": "String", "queryName": "queryAndXmlName",
                                        "locationName": "xmlAndQueryName"},
            "DistinctXmlName": {"shape": "String", "locationName": "xmlNameOnly"}
        }},
        "String": {"type": "string"}
    });
    let decoder = Decoder {
        protocol: Protocol::Ec2,
        shapes: Shapes(shapes.as_object().expect("object")),
        legacy: false,
    };
    let case = serde_json::json!({
        "given": {"name": "SimpleInputParams", "input": {"shape": "Input"}},
        "params": {"DistinctQueryName": "value1", "DistinctQueryAndXmlName": "value2",
                   "DistinctXmlName": "value3"}
    });
    check_input_case(&decoder, &case, &body).expect("decodes to the Smithy params");
}

#[test]
fn query_response_without_output_still_has_metadata() {
    let expected = smithy_case_string(
        "smithy/model/awsQuery/empty-input-output.smithy",
        "QueryNoInputAndNoOutputWithResponseMetadata",
        "body",
    );
    let ours = aws_query::success_without_result("", "NoInputAndNoOutput", "abc-123");
    // Compare with request ids kept: this case is about the metadata itself.
    let strip = |text: &str| text.split_whitespace().collect::<String>();
    assert_eq!(strip(&ours), strip(&expected));
}
