//! [`Soap11`] and [`Soap12`]: the [`Protocol`] implementations.

use std::borrow::Cow;

use rpclib_core::{Catalogue, Fault, FaultClass, MessageKind, MethodContext, Protocol};

use crate::LOG_TARGET;
use crate::error::internal;
use crate::limits::Limits;
use crate::read::stages;
use crate::version::SoapVersion;
use crate::write::envelope::{self, OutDocument};

/// Moves the serialized message into `ctx.out_string`; every SOAP protocol type delegates
/// here.
pub(crate) fn create_out_string(ctx: &mut MethodContext) -> Result<(), Fault> {
    let doc = ctx
        .protocol_data
        .remove::<OutDocument>()
        .ok_or_else(|| internal("no SOAP message was serialized"))?;
    if log::log_enabled!(target: LOG_TARGET, log::Level::Trace) {
        log::trace!(target: LOG_TARGET, "outgoing message: {}", String::from_utf8_lossy(&doc.0));
    }
    // Into the list the context already has (a transport reusing its contexts keeps its
    // capacity), not a new one.
    ctx.out_string.clear();
    ctx.out_string.push(doc.0);
    Ok(())
}

macro_rules! soap_protocol {
    ($(#[$doc:meta])* $name:ident, $version:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            limits: Limits,
        }

        impl $name {
            /// The protocol with the default [`Limits`].
            pub fn new() -> Self {
                Self::default()
            }

            /// The protocol with the given limits.
            pub fn with_limits(limits: Limits) -> Self {
                $name { limits }
            }

            /// The limits incoming messages are held to.
            pub fn limits(&self) -> &Limits {
                &self.limits
            }

            /// The SOAP version spoken.
            pub fn version(&self) -> SoapVersion {
                $version
            }
        }

        impl Protocol for $name {
            fn create_in_document(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
                stages::create_in_document(ctx, &self.limits)
            }

            fn decompose_incoming_envelope(&self, catalogue: &Catalogue, ctx: &mut MethodContext, kind: MessageKind) -> Result<(), Fault> {
                stages::decompose(catalogue, ctx, $version, &self.limits, kind)
            }

            fn deserialize(&self, catalogue: &Catalogue, ctx: &mut MethodContext, kind: MessageKind) -> Result<(), Fault> {
                stages::deserialize(catalogue, ctx, $version, &self.limits, kind)
            }

            fn serialize(&self, catalogue: &Catalogue, ctx: &mut MethodContext, kind: MessageKind) -> Result<(), Fault> {
                envelope::serialize(catalogue, ctx, $version, kind, &[])
            }

            fn create_out_string(&self, ctx: &mut MethodContext) -> Result<(), Fault> {
                create_out_string(ctx)
            }

            fn message_content_type(&self, _ctx: &MethodContext) -> Cow<'_, str> {
                Cow::Borrowed($version.content_type())
            }

            fn fault_status(&self, _ctx: &MethodContext, fault: &Fault) -> u16 {
                fault_status($version, fault)
            }
        }
    };
}

/// SOAP 1.1 answers every fault with 500 (its HTTP binding says so, and Spyne does); the
/// SOAP 1.2 HTTP binding answers `Sender` faults with 400 and all others with 500.
pub(crate) fn fault_status(version: SoapVersion, fault: &Fault) -> u16 {
    match (version, fault.code.class()) {
        (SoapVersion::Soap12, FaultClass::Client) => 400,
        _ => 500,
    }
}

soap_protocol!(
    /// SOAP 1.1, document/literal (wrapped or bare, as each method declares): `text/xml`
    /// messages, `Client`/`Server` fault codes, HTTP status 500 for every fault.
    ///
    /// Use it as in- and out-protocol of a server application, or of a client application
    /// with [`RemoteClient`](rpclib_core::RemoteClient).
    Soap11,
    SoapVersion::Soap11
);

soap_protocol!(
    /// SOAP 1.2, document/literal (wrapped or bare, as each method declares):
    /// `application/soap+xml` messages, `Sender`/`Receiver` fault codes with subcodes, HTTP
    /// status 400 for `Sender` faults and 500 for the others.
    Soap12,
    SoapVersion::Soap12
);
