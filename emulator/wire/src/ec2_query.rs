//! ec2Query responses (EC2).
//!
//! Success: `<?xml version="1.0" encoding="UTF-8"?>\n<{Action}Response xmlns=NS>
//! <requestId>…</requestId>…members…</{Action}Response>` — no `Result` wrapper, `requestId`
//! (lower-case r) first, list entries as `<item>` (EC2 API reference examples and real
//! captures).
//! Error: `<?xml …?>\n<Response><Errors><Error><Code/><Message/></Error></Errors>
//! <RequestID/></Response>` — `RequestID` with a capital D, no `Type`, no namespace (EC2 API
//! reference "Example error response", and observed bodies).

use super::xml::XmlWriter;
use super::AwsError;
use super::EC2_NAMESPACE;

/// A success body in the EC2 namespace; `body` writes the members after `requestId`.
pub fn success(action: &str, request_id: &str, body: impl FnOnce(&mut XmlWriter)) -> String {
    success_sized(action, request_id, 0, body)
}

/// A success body whose members take about `bytes` bytes, written into a buffer with room for
/// them and the envelope from the start.
pub fn success_sized(
    action: &str,
    request_id: &str,
    bytes: usize,
    body: impl FnOnce(&mut XmlWriter),
) -> String {
    success_in(EC2_NAMESPACE, action, request_id, bytes, body)
}

/// A success body in any namespace (the ec2Query protocol tests use their own): the
/// declaration, the `{Action}Response` envelope and a request id around `body`.
pub fn success_in(
    namespace: &str,
    action: &str,
    request_id: &str,
    bytes: usize,
    body: impl FnOnce(&mut XmlWriter),
) -> String {
    // What the envelope adds: the declaration, the response element twice with its namespace,
    // and the request id.
    const ENVELOPE: usize = 256;
    let mut xml = XmlWriter::with_declaration_and_room(bytes.saturating_add(ENVELOPE));
    xml.nest_named_with_ns(&[action, "Response"], namespace, |xml| {
        xml.element("requestId", request_id);
        body(xml);
    });
    xml.into_string()
}

/// An error body: `Code` and `Message` in `Response/Errors/Error`, then `RequestID`.
pub fn error(error: &AwsError, request_id: &str) -> String {
    let mut xml = XmlWriter::with_declaration();
    xml.nest("Response", |xml| {
        xml.nest("Errors", |xml| {
            xml.nest("Error", |xml| {
                xml.element("Code", error.code);
                xml.element("Message", &error.message);
            });
        });
        xml.element("RequestID", request_id);
    });
    xml.into_string()
}

/// Writes a list the EC2 way: `<name><item>…</item>…</name>`; an empty list gives `<name/>`
/// equivalent `<name></name>`, which SDKs read as an empty list.
pub fn item_list<T>(
    xml: &mut XmlWriter,
    name: &str,
    items: impl IntoIterator<Item = T>,
    mut write_item: impl FnMut(&mut XmlWriter, T),
) {
    xml.nest(name, |xml| {
        for item in items {
            xml.nest("item", |xml| write_item(xml, item));
        }
    });
}
