//! Requests recorded from real clients (boto3, AWS CLI, aws-sdk-rust, JS v3 and tools built on
//! them) must verify, each signing its own header set; any one-character change of the
//! signature must be rejected.

use std::fs;

use crate::sigv4_support::{authenticate, data_dir, mismatch, Keys, WireRequest};
use rolecall_server::auth::errors::AuthError;

fn keys() -> Keys {
    Keys::new(&[
        (
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        ),
        (
            "ASIAEXAMPLEASSUMED01",
            "assumedSecretKeyEXAMPLEassumedSecretKeyEX",
            Some("FwoGZXIvYXdzEXAMPLESESSIONTOKEN"),
        ),
    ])
}

fn captures() -> Vec<(String, WireRequest)> {
    let mut files: Vec<_> = fs::read_dir(data_dir().join("client-captures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                WireRequest::read(&p),
            )
        })
        .collect()
}

#[test]
fn every_signed_capture_verifies_and_every_signature_alteration_is_rejected() {
    let keys = keys();
    let (mut verified, mut unsigned, mut alterations) = (0, 0, 0);
    let mut failures = Vec::new();
    for (name, wire) in captures() {
        let auth = match rolecall_server::auth::sigv4::parse(&wire.signed()) {
            Ok(auth) => auth,
            Err(AuthError::MissingAuthenticationToken) => {
                unsigned += 1;
                continue;
            }
            Err(e) => {
                failures.push(format!("{name}: parse: {e:?}"));
                continue;
            }
        };
        // Recorded on another day: the request's own time is "now".
        let now = auth.timestamp;
        let service = auth.service.clone();
        if let Err(e) = authenticate(&wire, now, Some(&service), &keys, |_| {}) {
            failures.push(format!("{name}: rejected: {e:?}"));
            continue;
        }
        verified += 1;
        for position in 0..auth.signature.len() {
            let mut signature = auth.signature.clone().into_owned().into_bytes();
            signature[position] = if signature[position] == b'a' {
                b'b'
            } else {
                b'a'
            };
            let signature = String::from_utf8(signature).unwrap();
            alterations += 1;
            let result = authenticate(&wire, now, Some(&service), &keys, |a| {
                a.signature = signature.into()
            });
            if result.as_ref().err() != Some(&mismatch()) {
                failures.push(format!("{name}: signature byte {position}: {result:?}"));
            }
        }
    }
    eprintln!(
        "client captures: {verified} signed requests verified, {unsigned} unsigned, {alterations} signature alterations rejected, {} failures",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        verified >= 100,
        "expected the recorded signed requests, got {verified}"
    );
}
