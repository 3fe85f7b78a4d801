//! Signed requests with retries: the one place the walk talks to the network.
//!
//! Every request is a `POST /` signed with SigV4 by the `aws-sigv4` crate (the signer the AWS
//! SDKs use), re-signed on each attempt so a retry never carries a stale date. A request is
//! tried at most [`MAX_ATTEMPTS`] times when the answer is throttling, a 5xx or no answer at
//! all, sleeping between attempts for a random time up to an exponentially growing bound
//! ("full jitter"), never more than `MAX_BACKOFF`.
//!
//! Endpoints may be plain HTTP (a rolecall server) or HTTPS (AWS); TLS trusts what
//! [`Trust`] says. A server certificate that does not verify is a `CertificateError`, which is
//! never retried and says what was trusted and how to trust more.

use super::credentials::Credentials;
use super::endpoints::{Endpoints, Service};
use super::errors::ApiError;
use super::tls::Trust;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_smithy_runtime_api::client::identity::Identity;
use rand::Rng;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Attempts per request, the first included (the SDKs' standard retry mode uses 3 too).
pub const MAX_ATTEMPTS: u32 = 3;
/// The first retry waits up to this long; each later one up to twice the previous bound.
const BASE_BACKOFF: Duration = Duration::from_millis(100);
/// No wait exceeds this.
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// A request that has not been answered by then counts as no answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A successful answer's body and headers we need.
#[derive(Debug)]
pub struct Answer {
    pub body: String,
}

/// The HTTP client and the endpoints, shared by every task of a walk.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoints: Endpoints,
    /// What TLS trusts, named in certificate errors.
    trusted: Arc<str>,
}

/// What a request carries: a form body (query protocols) or a JSON body with a target header.
pub enum Body<'a> {
    Form(&'a [(&'a str, &'a str)]),
    Json { target: &'a str, json: &'a str },
}

impl Client {
    /// A client for `endpoints` whose HTTPS connections trust what `trust` says.
    pub fn new(endpoints: Endpoints, trust: &Trust) -> Result<Client, String> {
        let tls = trust.setup()?;
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .pool_max_idle_per_host(64)
            // The configuration built in `tls`: ring, and the trust chosen for this run.
            // (reqwest's own rustls set-up would look for a process-wide crypto provider.)
            .tls_backend_preconfigured(tls.config)
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {}", error_chain(&e)))?;
        Ok(Client {
            http,
            endpoints,
            trusted: tls.trusted.into(),
        })
    }

    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// Sends one request, retrying what may succeed on a later attempt.
    pub async fn call(
        &self,
        service: Service,
        region: &str,
        credentials: &Credentials,
        body: Body<'_>,
    ) -> Result<Answer, ApiError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.attempt(service, region, credentials, &body).await;
            match result {
                Err(e) if e.is_retryable() && attempt < MAX_ATTEMPTS => {
                    tokio::time::sleep(backoff(attempt)).await;
                }
                other => return other,
            }
        }
    }

    async fn attempt(
        &self,
        service: Service,
        region: &str,
        credentials: &Credentials,
        body: &Body<'_>,
    ) -> Result<Answer, ApiError> {
        let (url, signing_region) = self.endpoints.resolve(service, region);
        let url = format!("{url}/");
        let (payload, mut headers) = match body {
            Body::Form(params) => (
                form(params),
                vec![(
                    "content-type".to_string(),
                    "application/x-www-form-urlencoded; charset=utf-8".to_string(),
                )],
            ),
            Body::Json { target, json } => (
                json.to_string(),
                vec![
                    (
                        "content-type".to_string(),
                        "application/x-amz-json-1.1".to_string(),
                    ),
                    ("x-amz-target".to_string(), target.to_string()),
                ],
            ),
        };
        let host = authority(&url)
            .ok_or_else(|| ApiError::transport(format!("bad endpoint URL {url}")))?;
        headers.insert(0, ("host".to_string(), host));
        sign_headers(
            &mut headers,
            &url,
            &payload,
            credentials,
            service.signing_name(),
            &signing_region,
        )?;
        let mut request = self.http.post(&url).body(payload);
        for (name, value) in &headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get("x-amzn-requestid")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let text = response
            .text()
            .await
            .map_err(|e| ApiError::transport(format!("reading the answer: {e}")))?;
        if (200..300).contains(&status) {
            return Ok(Answer { body: text });
        }
        Err(match service {
            Service::Organizations => ApiError::from_json(status, &text, request_id),
            Service::Sts | Service::Ec2 => ApiError::from_xml(status, &text),
        })
    }

    /// A request that got no answer; a certificate the TLS handshake refused says so.
    fn transport_error(&self, e: &reqwest::Error) -> ApiError {
        let text = error_chain(e);
        match tls_error(e) {
            Some(rustls::Error::InvalidCertificate(_)) => ApiError::certificate(format!(
                "{text} (the server's certificate is not trusted by {}; give the CA that \
                 issued it with --ca-bundle FILE or AWS_CA_BUNDLE)",
                self.trusted
            )),
            _ => ApiError::transport(text),
        }
    }
}

/// A random wait in `[0, min(MAX_BACKOFF, BASE_BACKOFF * 2^(attempt-1))]`.
fn backoff(attempt: u32) -> Duration {
    let bound = BASE_BACKOFF
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF);
    let bound = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
    let millis = rand::rng().random_range(0..=bound);
    Duration::from_millis(millis)
}

/// `host[:port]` of an http(s) URL, as the Host header carries it.
fn authority(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let host = rest.split('/').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// Adds the SigV4 headers (`x-amz-date`, `authorization`, and `x-amz-security-token` for
/// temporary credentials) for a POST of `payload` with `headers`.
fn sign_headers(
    headers: &mut Vec<(String, String)>,
    url: &str,
    payload: &str,
    credentials: &Credentials,
    service: &str,
    region: &str,
) -> Result<(), ApiError> {
    let identity: Identity = aws_credential_types::Credentials::new(
        &credentials.access_key_id,
        &credentials.secret_access_key,
        credentials.session_token.clone(),
        None,
        "rolecall-discover",
    )
    .into();
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| ApiError::transport(format!("cannot sign: {e}")))?
        .into();
    let signable = SignableRequest::new(
        "POST",
        url,
        headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        SignableBody::Bytes(payload.as_bytes()),
    )
    .map_err(|e| ApiError::transport(format!("cannot sign: {e}")))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| ApiError::transport(format!("cannot sign: {e}")))?
        .into_parts();
    for (name, value) in instructions.headers() {
        headers.push((name.to_string(), value.to_string()));
    }
    Ok(())
}

/// An `application/x-www-form-urlencoded` body: every byte but unreserved ones escaped.
fn form(params: &[(&str, &str)]) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encoding::utf8_percent_encode(k, SET),
                percent_encoding::utf8_percent_encode(v, SET)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An error's whole cause chain: reqwest's own text is often just "error sending request",
/// and the reason (refused, timed out, certificate not trusted) is further down.
fn error_chain(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    let mut depth = 0;
    while let Some(s) = source {
        if depth >= 8 {
            break;
        }
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
        depth += 1;
    }
    text
}

/// The rustls error under a transport error, when the TLS handshake is what failed. It sits
/// inside `io::Error`s (one in another, as the connector layers wrap it), whose `source()`
/// skips the error they carry, so each one is opened by hand.
fn tls_error(e: &reqwest::Error) -> Option<&rustls::Error> {
    let mut link: Option<&(dyn std::error::Error + 'static)> = Some(e);
    for _ in 0..16 {
        let current = link?;
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        link = match current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(carried) => Some(carried as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        for attempt in 1..40 {
            assert!(backoff(attempt) <= MAX_BACKOFF);
        }
        assert!(backoff(1) <= BASE_BACKOFF);
    }

    #[test]
    fn authority_keeps_the_port() {
        assert_eq!(
            authority("http://127.0.0.1:4566/").as_deref(),
            Some("127.0.0.1:4566")
        );
        assert_eq!(
            authority("https://sts.amazonaws.com/").as_deref(),
            Some("sts.amazonaws.com")
        );
        assert_eq!(authority("ftp://x/"), None);
    }

    #[test]
    fn form_escapes_like_the_sdks() {
        assert_eq!(
            form(&[("RoleArn", "arn:aws:iam::1:role/R"), ("A", "x y~")]),
            "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2FR&A=x%20y~"
        );
    }
}
