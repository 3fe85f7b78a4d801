//! A TLS front on 127.0.0.1 for a plain-HTTP rolecall server, with a certificate from a CA
//! made at test time: what `rolecall discover` meets on a real AWS endpoint, minus the
//! internet. Nothing here is checked in; every run makes a new CA and key.
//!
//! The front only unwraps TLS and copies bytes both ways, so the server sees the client's own
//! request, signed Host header included.
#![allow(dead_code)]

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

/// A running TLS front and the CA that signed its certificate.
pub(crate) struct TlsFront {
    /// Where the front listens: `https://{addr}` reaches the server behind it.
    pub addr: SocketAddr,
    /// The CA certificate, PEM, in a file of its own (removed on drop).
    pub ca_file: PathBuf,
    _runtime: tokio::runtime::Runtime,
}

impl TlsFront {
    /// Starts a front for `backend` whose certificate is valid for 127.0.0.1 and localhost.
    /// `name` keeps the CA files of concurrent tests apart.
    pub(crate) fn start(backend: SocketAddr, name: &str) -> TlsFront {
        let (ca_pem, chain, key) = throwaway_ca_and_server_certificate();
        let ca_file = std::env::temp_dir().join(format!(
            "rolecall-test-ca-{name}-{}.pem",
            std::process::id()
        ));
        std::fs::write(&ca_file, ca_pem).unwrap();

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        runtime.spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that refuses the certificate ends here, as it should.
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let Ok(mut server) = TcpStream::connect(backend).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
                });
            }
        });
        TlsFront {
            addr,
            ca_file,
            _runtime: runtime,
        }
    }

    /// The URL to give `rolecall discover --endpoint`.
    pub(crate) fn url(&self) -> String {
        format!("https://{}", self.addr)
    }
}

impl Drop for TlsFront {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.ca_file);
    }
}

/// A CA (its certificate as PEM), and a server certificate chain and key it signed for
/// 127.0.0.1 and localhost.
fn throwaway_ca_and_server_certificate() -> (
    String,
    Vec<rustls::pki_types::CertificateDer<'static>>,
    PrivateKeyDer<'static>,
) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "rolecall test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let ca = Issuer::new(ca_params, ca_key);

    let mut server_params =
        CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    server_params
        .distinguished_name
        .push(DnType::CommonName, "rolecall test server");
    let server_key = KeyPair::generate().unwrap();
    let server_cert = server_params.signed_by(&server_key, &ca).unwrap();

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    (ca_cert.pem(), vec![server_cert.der().clone()], key)
}
