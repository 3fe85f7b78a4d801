//! The cost of authenticating a request signed with temporary credentials, after 1 and after
//! 1,000,000 sessions were issued.
//!
//! A session token carries its own claims under an HMAC (see `auth::sessions`), so the server
//! keeps no table of sessions: verifying one is a base64 decode, an HMAC over the token, a
//! short binary read and the SigV4 check, whatever number of sessions exist. The benchmark issues
//! a million tokens with the same signer and shows the cost of `authenticate` unchanged. A
//! third case authenticates a session carrying an inline session policy, which the parsed-policy
//! cache serves without parsing.

// A benchmark reports what it measured.
#![allow(clippy::print_stderr)]

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use rolecall_model::clock::Clock;
use rolecall_model::session::{InlineSessionPolicy, SessionClaims, SessionPrincipal};
use rolecall_server::auth::caller::{authenticate, CredentialStore};
use rolecall_server::auth::sessions::SessionSigner;
use rolecall_server::auth::sigv4::{self, SignedRequest, SigningKeyCache};
use std::time::{Instant, SystemTime};
use time::OffsetDateTime;

const SCENARIO: &str = r#"
accounts:
  - id: "222222222222"
    roles:
      - name: Hop
        trust_policy:
          Version: "2012-10-17"
          Statement:
            - { Effect: Allow, Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: sts:AssumeRole }
"#;

const BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

fn claims(n: u64, now: i64) -> SessionClaims {
    SessionClaims::new(
        format!("ASIA{n:016}"),
        "222222222222".into(),
        SessionPrincipal::Role {
            role: "Hop".into(),
            session: format!("s{n}"),
        },
        now,
        now + 3600,
    )
}

/// A GetCallerIdentity request signed with the session's credentials.
fn signed_headers(key: &str, secret: &str, token: &str) -> http::HeaderMap {
    let identity: Identity =
        Credentials::new(key, secret, Some(token.to_string()), None, "bench").into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("sts")
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let base = [
        ("host", "127.0.0.1:4566"),
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
    ];
    let signable = SignableRequest::new(
        "POST",
        "http://127.0.0.1:4566/",
        base.iter().copied(),
        SignableBody::Bytes(BODY.as_bytes()),
    )
    .unwrap();
    let (instructions, _) = sign(signable, &params).unwrap().into_parts();
    let mut headers = http::HeaderMap::new();
    for (k, v) in base.iter().copied().chain(instructions.headers()) {
        headers.insert(
            http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            http::HeaderValue::from_str(v).unwrap(),
        );
    }
    headers
}

fn bench_authenticate(c: &mut Criterion) {
    let world = rolecall_model::scenario::load_str(SCENARIO, "bench.yaml").unwrap();
    let clock = Clock::new(None, false);
    // Derived signing keys, as the server keeps them: every iteration after the first hits.
    let keys = SigningKeyCache::default();
    let now = clock.now().unix_timestamp();
    let mut group = c.benchmark_group("authenticate_temporary_credentials");

    for issued in [1u64, 1_000_000] {
        let signer = SessionSigner::with_key([42; 32]);
        let started = Instant::now();
        let mut last = None;
        for n in 0..issued {
            last = Some(signer.issue(&claims(n, now)));
        }
        eprintln!("issued {issued} sessions in {:?}", started.elapsed());
        let creds = last.unwrap();
        let headers = signed_headers(
            &creds.access_key_id,
            &creds.secret_access_key,
            &creds.session_token,
        );
        let request = SignedRequest {
            method: "POST",
            path: "/",
            query: None,
            headers: &headers,
            body: BODY.as_bytes(),
        };
        group.bench_function(format!("after_{issued}_sessions"), |b| {
            b.iter(|| {
                let request = black_box(&request);
                let authorization = sigv4::parse(request).unwrap();
                let store = CredentialStore {
                    world: &world,
                    signer: &signer,
                    signing_keys: &keys,
                    clock: &clock,
                };
                let who = authenticate(
                    request,
                    authorization,
                    &store,
                    OffsetDateTime::now_utc(),
                    "sts",
                )
                .unwrap();
                black_box(who);
            })
        });
    }

    // A session with an inline session policy: served from the parsed-policy cache.
    let signer = SessionSigner::with_key([42; 32]);
    let mut with_policy = claims(7, now);
    with_policy.session_policy = Some(InlineSessionPolicy::new(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}"#,
    ));
    let creds = signer.issue(&with_policy);
    let headers = signed_headers(
        &creds.access_key_id,
        &creds.secret_access_key,
        &creds.session_token,
    );
    let request = SignedRequest {
        method: "POST",
        path: "/",
        query: None,
        headers: &headers,
        body: BODY.as_bytes(),
    };
    group.bench_function("with_inline_session_policy", |b| {
        b.iter(|| {
            let authorization = sigv4::parse(&request).unwrap();
            let store = CredentialStore {
                world: &world,
                signer: &signer,
                signing_keys: &keys,
                clock: &clock,
            };
            let who = authenticate(
                &request,
                authorization,
                &store,
                OffsetDateTime::now_utc(),
                "sts",
            )
            .unwrap();
            black_box(who);
        })
    });
    assert_eq!(
        signer.policy_cache().parse_count(),
        1,
        "parsed once, then cache hits"
    );
    group.finish();
}

criterion_group!(benches, bench_authenticate);
criterion_main!(benches);
