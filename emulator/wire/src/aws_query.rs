//! awsQuery responses (STS).
//!
//! Success: `<{Action}Response xmlns=NS><{Action}Result>…</{Action}Result>
//! <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata></{Action}Response>`.
//! Error: `<ErrorResponse xmlns=NS><Error><Type>Sender|Receiver</Type><Code/><Message/></Error>
//! <RequestId/></ErrorResponse>` — `RequestId` is a sibling of `Error`, not in
//! `ResponseMetadata`. Both shapes follow the STS API reference examples and the awsQuery
//! protocol tests (`QueryCustomizedError`, `QuerySimpleScalarProperties`).
//!
//! STS bodies carry no `<?xml …?>` declaration in the API reference examples; clients accept
//! either, so none is written.

use super::xml::XmlWriter;
use super::AwsError;

/// Who caused an error; awsQuery clients surface it as the error's `Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The request was wrong (4xx).
    Sender,
    /// The service failed (5xx).
    Receiver,
}

impl Fault {
    /// The text AWS writes in `<Type>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Sender => "Sender",
            Fault::Receiver => "Receiver",
        }
    }

    /// The fault implied by an HTTP status: 5xx is the service's fault, anything else the caller's.
    pub fn for_status(status: u16) -> Fault {
        if status >= 500 {
            Fault::Receiver
        } else {
            Fault::Sender
        }
    }
}

/// A success body; `result` writes the members inside `<{action}Result>`.
pub fn success(
    namespace: &str,
    action: &str,
    request_id: &str,
    result: impl FnOnce(&mut XmlWriter),
) -> String {
    let mut xml = XmlWriter::new();
    xml.nest_named_with_ns(&[action, "Response"], namespace, |xml| {
        xml.nest_named(&[action, "Result"], &[], result);
        write_metadata(xml, request_id);
    });
    xml.into_string()
}

/// A success body for an operation without output members: AWS still sends the response
/// element with `ResponseMetadata` but no `Result` element (Smithy case
/// `QueryNoInputAndNoOutputWithResponseMetadata`).
pub fn success_without_result(namespace: &str, action: &str, request_id: &str) -> String {
    let mut xml = XmlWriter::new();
    xml.nest_named_with_ns(&[action, "Response"], namespace, |xml| {
        write_metadata(xml, request_id);
    });
    xml.into_string()
}

/// An error body: `Type` from the status, then `Code` and `Message`, with the request id
/// beside the `Error` element.
pub fn error(namespace: &str, error: &AwsError, request_id: &str) -> String {
    let mut xml = XmlWriter::new();
    xml.nest_with_ns("ErrorResponse", namespace, |xml| {
        xml.nest("Error", |xml| {
            xml.element("Type", error.fault().as_str());
            xml.element("Code", error.code);
            xml.element("Message", &error.message);
        });
        xml.element("RequestId", request_id);
    });
    xml.into_string()
}

fn write_metadata(xml: &mut XmlWriter, request_id: &str) {
    xml.nest("ResponseMetadata", |xml| {
        xml.element("RequestId", request_id)
    });
}
