//! AWS's wire protocols, as rolecall reads and writes them.
//!
//! * [`form`] decodes awsQuery / ec2Query request parameters.
//! * [`AwsError`] is the one error every service and authentication answer with, and
//!   [`Protocol`] the one writer per protocol that puts an error on the wire.
//! * [`xml`] writes escaped XML; [`aws_query`] (STS) and [`ec2_query`] (EC2) wrap it in each
//!   protocol's success and error envelopes.
//! * [`aws_json`] is awsJson1.1 (Organizations).
//! * [`errors`] holds the errors a server returns before any service logic runs.
//!
//! The crate knows no service's operations and no caller: it is text in, text out.

pub mod aws_json;
pub mod aws_query;
pub mod ec2_query;
mod error;
pub mod errors;
pub mod form;
pub mod xml;

pub use aws_query::Fault;
pub use error::{AwsError, Protocol, Reply};
pub use form::{FormError, Params, ParamsView};
pub use xml::XmlWriter;

use time::{OffsetDateTime, UtcOffset};

/// XML namespace of STS responses (the `xmlns` of every STS API reference example).
pub const STS_NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
/// XML namespace of EC2 responses. botocore's model omits the trailing slash, but real EC2
/// bodies and the EC2 API reference examples carry it.
pub const EC2_NAMESPACE: &str = "http://ec2.amazonaws.com/doc/2016-11-15/";
/// The API version STS clients send in `Version`.
pub const STS_VERSION: &str = "2011-06-15";
/// The API version EC2 clients send in `Version`.
pub const EC2_VERSION: &str = "2016-11-15";

/// A fresh request id (UUID v4, lowercase, hyphenated), as AWS puts in `x-amzn-RequestId`.
///
/// The bytes come from the thread-local generator rather than the operating system's: one
/// system call per request is a measurable share of a small request's cost, and request ids
/// need to be unique, not secret.
pub fn new_request_id() -> String {
    // Encoded into a stack buffer and copied once, where `to_string` regrows a `String`.
    let mut buffer = uuid::Uuid::encode_buffer();
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .hyphenated()
        .encode_lower(&mut buffer)
        .to_owned()
}

/// An AWS response timestamp in UTC with whole seconds: `2026-11-23T14:00:00Z`.
///
/// STS uses this form: the AWS STS API reference `AssumeRole` example has
/// `<Expiration>2019-11-09T13:34:41Z</Expiration>`, and AWS-recorded STS snapshots show
/// second precision. (Only the 2011-era botocore examples show milliseconds.)
pub fn format_timestamp(t: OffsetDateTime) -> String {
    let mut out = String::with_capacity(20);
    write_timestamp(&mut out, t, false);
    out
}

/// Writes `YYYY-MM-DDTHH:MM:SS[.mmm]Z` digit by digit: every EC2 resource and every STS
/// credential carries timestamps, and the formatting machinery costs several times as much.
fn write_timestamp(out: &mut String, t: OffsetDateTime, millis: bool) {
    let u = t.to_offset(UtcOffset::UTC);
    let Ok(year) = u16::try_from(u.year()) else {
        // Years before 0 need a sign: leave them to the general formatter.
        use std::fmt::Write;
        let _ = write!(
            out,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            u.year(),
            u.month() as u8,
            u.day(),
            u.hour(),
            u.minute(),
            u.second()
        );
        if millis {
            let _ = write!(out, ".{:03}", u.millisecond());
        }
        out.push('Z');
        return;
    };
    let mut buf = *b"0000-00-00T00:00:00.000Z";
    let digits = |buf: &mut [u8], value: u16| {
        let mut value = value;
        for slot in buf.iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    digits(&mut buf[0..4], year);
    digits(&mut buf[5..7], u16::from(u.month() as u8));
    digits(&mut buf[8..10], u16::from(u.day()));
    digits(&mut buf[11..13], u16::from(u.hour()));
    digits(&mut buf[14..16], u16::from(u.minute()));
    digits(&mut buf[17..19], u16::from(u.second()));
    let len = if millis {
        digits(&mut buf[20..23], u.millisecond());
        24
    } else {
        buf[19] = b'Z';
        20
    };
    // Only ASCII digits and punctuation were written.
    out.push_str(std::str::from_utf8(&buf[..len]).unwrap_or_default());
}

/// An AWS response timestamp in UTC with milliseconds: `2026-11-23T14:00:00.000Z`.
///
/// EC2 uses this form for `launchTime`, `createTime`, `startTime` and the like (EC2 API
/// reference examples, e.g. DescribeInstances `<launchTime>…T…:…:….000Z</launchTime>`).
pub fn format_timestamp_millis(t: OffsetDateTime) -> String {
    let mut out = String::with_capacity(24);
    write_timestamp(&mut out, t, true);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamps_are_utc_with_padded_fields() {
        let t = datetime!(2026-01-02 03:04:05.678 +02:00);
        assert_eq!(format_timestamp(t), "2026-01-02T01:04:05Z");
        assert_eq!(format_timestamp_millis(t), "2026-01-02T01:04:05.678Z");
        let early = datetime!(0987-11-30 23:59:59.007 UTC);
        assert_eq!(format_timestamp(early), "0987-11-30T23:59:59Z");
        assert_eq!(format_timestamp_millis(early), "0987-11-30T23:59:59.007Z");
        let bc = datetime!(-0001-06-01 00:00:00 UTC);
        assert_eq!(format_timestamp(bc), "-001-06-01T00:00:00Z");
    }
}
