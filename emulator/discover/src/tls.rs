//! Whom the walk trusts over HTTPS.
//!
//! TLS is rustls with the `ring` crypto provider, always built in: real AWS endpoints are
//! HTTPS only. Which certificate authorities are trusted follows the AWS CLI:
//!
//! 1. a CA bundle, the first of `--ca-bundle FILE`, `AWS_CA_BUNDLE`, and `ca_bundle` in the
//!    active profile of the shared config file (the AWS CLI's order: command line, then
//!    environment, then config file). Like the CLI, the bundle *replaces* the default trust:
//!    only its certificates are trusted, which is what a TLS-inspecting proxy or a test CA
//!    needs, and what a user who names a bundle expects to get;
//! 2. otherwise the operating system's trust store, through `rustls-platform-verifier`:
//!    Security.framework on macOS, the Windows certificate store, and on Linux the
//!    distribution's CA bundle (honouring `SSL_CERT_FILE` and `SSL_CERT_DIR`). That is where
//!    administrators install their organisation's CAs, and where the AWS SDKs look by default
//!    (the AWS SDK for Rust's own HTTPS client loads the platform's roots the same way). A
//!    compiled-in root list (`webpki-roots`) would ignore those CAs and age with the binary.
//!
//! Plain HTTP (a rolecall server on loopback) never touches any of this, and a machine with
//! no system CA certificates can still walk a plain-HTTP endpoint: the emptiness is only
//! reported if an HTTPS server's certificate then fails to verify.

use super::env::Env;
use super::profile::SharedConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The certificate authorities one run trusts.
#[derive(Debug, Clone)]
pub enum Trust {
    /// The operating system's trust store, checked by the platform's own verifier.
    System,
    /// Only the certificates of a PEM bundle file.
    Bundle {
        file: PathBuf,
        /// `--ca-bundle`, `AWS_CA_BUNDLE` or `ca_bundle in profile NAME (FILE)`.
        origin: String,
        roots: Arc<RootCertStore>,
    },
}

/// What the HTTP client needs: the rustls configuration, and how to name what it trusts when
/// a server's certificate is refused.
pub struct TlsSetup {
    pub config: ClientConfig,
    pub trusted: String,
}

impl Trust {
    /// The CA bundle in force (`--ca-bundle` given as `flag`, else `AWS_CA_BUNDLE`, else the
    /// profile's `ca_bundle`), read and checked now; without one, the system trust store.
    /// A bundle that cannot be used is an error that names the file and what is wrong with it.
    pub fn resolve(flag: Option<&Path>, env: &Env, config: &SharedConfig) -> Result<Trust, String> {
        let chosen = flag
            .map(|p| (p.to_path_buf(), "--ca-bundle".to_string()))
            .or_else(|| {
                env.get("AWS_CA_BUNDLE")
                    .map(|p| (PathBuf::from(p), "AWS_CA_BUNDLE".to_string()))
            })
            .or_else(|| {
                config.setting("ca_bundle").map(|p| {
                    (
                        PathBuf::from(p),
                        format!("ca_bundle in {}", config.describe_source()),
                    )
                })
            });
        let Some((file, origin)) = chosen else {
            return Ok(Trust::System);
        };
        let roots = load_bundle(&file)
            .map_err(|why| format!("the CA bundle {} (from {origin}) {why}", file.display()))?;
        Ok(Trust::Bundle {
            file,
            origin,
            roots: Arc::new(roots),
        })
    }

    /// What is trusted, for messages: `the system trust store` or `the CA bundle FILE (from …)`.
    pub fn describe(&self) -> String {
        match self {
            Trust::System => "the system trust store".into(),
            Trust::Bundle { file, origin, .. } => {
                format!("the CA bundle {} (from {origin})", file.display())
            }
        }
    }

    /// The rustls client configuration for this trust, on the ring provider, speaking
    /// HTTP/1.1 (the only version the client is built with).
    pub fn setup(&self) -> Result<TlsSetup, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("cannot set up TLS: {e}"))?;
        let mut trusted = self.describe();
        let mut config = match self {
            Trust::Bundle { roots, .. } => builder.with_root_certificates(roots.clone()),
            Trust::System => match rustls_platform_verifier::Verifier::new(provider) {
                Ok(verifier) => builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(verifier)),
                // No usable system store (a minimal container without CA certificates):
                // trust nothing, so HTTPS fails with a reason and plain HTTP still works.
                Err(e) => {
                    trusted = format!("the system trust store, which could not be loaded ({e})");
                    builder.with_root_certificates(RootCertStore::empty())
                }
            },
        }
        .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(TlsSetup { config, trusted })
    }
}

/// Every certificate of a PEM file as a trust anchor. The file must hold at least one, and
/// each must parse; other PEM sections (a key, say) are skipped.
fn load_bundle(file: &Path) -> Result<RootCertStore, String> {
    let pem = std::fs::read(file).map_err(|e| format!("cannot be read: {e}"))?;
    let mut roots = RootCertStore::empty();
    for (index, cert) in CertificateDer::pem_slice_iter(&pem).enumerate() {
        let cert = cert.map_err(|e| format!("is not valid PEM: {e}"))?;
        roots.add(cert).map_err(|e| {
            format!(
                "has a certificate (number {}) that is not a usable CA certificate: {e}",
                index + 1
            )
        })?;
    }
    if roots.is_empty() {
        return Err("holds no PEM certificate (no -----BEGIN CERTIFICATE----- block)".into());
    }
    Ok(roots)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str, contents: &[u8]) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("rolecall-tls-{name}-{}.pem", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn no_config() -> SharedConfig {
        SharedConfig::default()
    }

    #[test]
    fn without_a_bundle_the_system_store_is_trusted() {
        let trust = Trust::resolve(None, &Env::default(), &no_config()).unwrap();
        assert!(matches!(trust, Trust::System));
        assert_eq!(trust.describe(), "the system trust store");
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let env = Env::from_pairs([("AWS_CA_BUNDLE", "/nonexistent/env.pem")]);
        let err = Trust::resolve(Some(Path::new("/nonexistent/flag.pem")), &env, &no_config())
            .unwrap_err();
        assert!(
            err.starts_with(
                "the CA bundle /nonexistent/flag.pem (from --ca-bundle) cannot be read"
            ),
            "{err}"
        );
        let err = Trust::resolve(None, &env, &no_config()).unwrap_err();
        assert!(
            err.contains("/nonexistent/env.pem (from AWS_CA_BUNDLE)"),
            "{err}"
        );
    }

    #[test]
    fn a_file_without_certificates_is_refused_by_name() {
        let path = scratch("empty", b"just some text\n");
        let err = Trust::resolve(Some(&path), &Env::default(), &no_config()).unwrap_err();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("holds no PEM certificate"), "{err}");
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn a_broken_certificate_is_refused_by_name() {
        let path = scratch(
            "garbage",
            b"-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        );
        let err = Trust::resolve(Some(&path), &Env::default(), &no_config()).unwrap_err();
        assert!(err.contains(&path.display().to_string()), "{err}");
        assert!(err.contains("not a usable CA certificate"), "{err}");
        let _ = std::fs::remove_file(path);
    }

    #[test]
    fn an_unterminated_pem_block_is_refused_by_name() {
        let path = scratch("unterminated", b"-----BEGIN CERTIFICATE-----\nAAAA\n");
        let err = Trust::resolve(Some(&path), &Env::default(), &no_config()).unwrap_err();
        assert!(err.contains("is not valid PEM"), "{err}");
        let _ = std::fs::remove_file(path);
    }
}
