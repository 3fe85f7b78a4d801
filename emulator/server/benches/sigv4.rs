//! Parse + verify of a typical boto3 STS AssumeRole request (signed content-type;host;x-amz-date,
//! form body), the work the verifier does on every call: with the signing key derived each
//! time, and with it taken from the cache the server keeps.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use http::{HeaderMap, HeaderValue};
use rolecall_server::auth::sigv4::{self, SignedRequest, SigningKeyCache};

const BODY: &[u8] = b"Action=AssumeRole&Version=2011-06-15&RoleSessionName=feas-chain&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FAudit";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn boto3_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    let mut add = |name: &'static str, value: &'static str| {
        h.append(name, HeaderValue::from_static(value));
    };
    add("host", "127.0.0.1:18609");
    add("accept-encoding", "identity");
    add(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    );
    add(
        "user-agent",
        "Boto3/1.44.5 md/Botocore#1.44.5 ua/2.1 os/linux lang/python#3.11.7 Botocore/1.44.5",
    );
    add("x-amz-date", "20261123T134644Z");
    add("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261123/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=2cca8ab8e436384db15e32249a31f189937e153cb634bf623644db1a9e6345c9");
    add(
        "amz-sdk-invocation-id",
        "6a8cf073-8de9-4724-9b2f-18fe8902eb94",
    );
    add("amz-sdk-request", "attempt=1; max=3");
    add("content-length", "120");
    h
}

fn parse_and_verify(c: &mut Criterion) {
    let headers = boto3_headers();
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: None,
        headers: &headers,
        body: BODY,
    };
    // The recorded request must verify, or the bench measures the failure path.
    let auth = sigv4::parse(&req).expect("parses");
    sigv4::verify(&req, &auth, SECRET).expect("the recorded boto3 request verifies");
    c.bench_function("sigv4 parse+verify boto3 AssumeRole", |b| {
        b.iter(|| {
            let auth = sigv4::parse(black_box(&req)).unwrap();
            sigv4::verify(black_box(&req), &auth, SECRET).unwrap();
        })
    });
    let keys = SigningKeyCache::default();
    c.bench_function("sigv4 parse+verify boto3 AssumeRole, cached key", |b| {
        b.iter(|| {
            let auth = sigv4::parse(black_box(&req)).unwrap();
            sigv4::verify_cached(black_box(&req), &auth, SECRET, &keys).unwrap();
        })
    });
}

criterion_group!(benches, parse_and_verify);
criterion_main!(benches);
