//! TLS to PostgreSQL with rustls (no OpenSSL): libpq's `sslmode`s,
//! which the client library alone does not all know.
//!
//! - `disable`: no TLS.
//! - `prefer` (libpq's default) and `require`: TLS (`prefer` falls back to
//!   none when the server offers none); the certificate is not checked,
//!   unless a root certificate file is there (then as `verify-ca`), as
//!   libpq does.
//! - `verify-ca`: the chain must lead to a trusted root.
//! - `verify-full`: that, and the certificate must name the host.
//!
//! Roots: the file `sslrootcert=` / `PGSSLROOTCERT` names, else
//! `~/.postgresql/root.crt` when it exists, else the Mozilla set
//! (webpki-roots).

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

use crate::text::Text;
use crate::tr;

/// libpq's `sslmode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// No TLS.
    Disable,
    /// TLS when the server offers it.
    Prefer,
    /// TLS, the certificate unchecked.
    Require,
    /// TLS, the chain checked.
    VerifyCa,
    /// TLS, the chain and the host name checked.
    VerifyFull,
}

impl Mode {
    /// The mode for an `sslmode` value.
    pub fn parse(value: &str) -> Option<Mode> {
        Some(match value {
            "disable" => Mode::Disable,
            "allow" | "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            _ => return None,
        })
    }

    /// What the client library is told (it knows no verify modes: the
    /// checking is done here).
    pub fn for_client(self) -> &'static str {
        match self {
            Mode::Disable => "disable",
            Mode::Prefer => "prefer",
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => "require",
        }
    }
}

/// The root certificate file to use, when there is one.
pub fn root_file(named: Option<&str>) -> Option<PathBuf> {
    if let Some(named) = named.filter(|n| !n.is_empty()) {
        return Some(PathBuf::from(named));
    }
    let home = std::env::var_os("HOME")?;
    let default = PathBuf::from(home).join(".postgresql/root.crt");
    default.is_file().then_some(default)
}

/// The rustls configuration for `mode`, with roots from `root` (or the
/// Mozilla set).
pub fn config(mode: Mode, root: Option<&PathBuf>) -> Result<rustls::ClientConfig, Text> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    match root {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path).map_err(|err| {
                tr!(
                    "cannot read the root certificate file {path}: {cause}",
                    path = path.display(),
                    cause = err
                )
            })?;
            for cert in certs {
                let cert = cert.map_err(|err| {
                    tr!(
                        "cannot read the root certificate file {path}: {cause}",
                        path = path.display(),
                        cause = err
                    )
                })?;
                roots.add(cert).map_err(|err| {
                    tr!(
                        "a root certificate in {path} cannot be used: {cause}",
                        path = path.display(),
                        cause = err
                    )
                })?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    // `require` with a root file checks the chain, as libpq does.
    let check = match (mode, root) {
        (Mode::Prefer | Mode::Require, Some(_)) | (Mode::VerifyCa, _) => Check::Chain,
        (Mode::VerifyFull, _) => Check::Full,
        _ => Check::Nothing,
    };
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|err| tr!("cannot set up TLS: {cause}", cause = err))?;
    let verifier = Verifier {
        inner,
        check,
        algorithms: provider.signature_verification_algorithms,
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| tr!("cannot set up TLS: {cause}", cause = err))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(config)
}

/// How much of the server's certificate is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    /// Nothing (`prefer`, `require`): encrypted, not authenticated.
    Nothing,
    /// The chain to a trusted root (`verify-ca`).
    Chain,
    /// The chain and the host name (`verify-full`).
    Full,
}

/// A certificate verifier for the three levels of checking; handshake
/// signatures are always checked.
#[derive(Debug)]
struct Verifier {
    inner: Arc<WebPkiServerVerifier>,
    check: Check,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        if self.check == Check::Nothing {
            return Ok(ServerCertVerified::assertion());
        }
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Err(Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if self.check == Check::Chain => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
