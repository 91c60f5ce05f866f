//! [`Catalogue`]: what protocols and interfaces know of an application (its names, namespaces,
//! services and methods).

use std::collections::HashMap;
use std::fmt;

use foldhash::fast::RandomState;

use crate::raw_header::HeaderName;
use crate::service::{MessageDescriptor, MethodDescriptor, MethodRef, ServiceDescriptor};

/// A problem in how an application was put together.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Two methods would receive the same request element.
    #[error("request element {{{namespace}}}{name} is used by both `{first}` and `{second}`")]
    DuplicateRequestElement {
        /// Namespace of the element.
        namespace: String,
        /// Local name of the element.
        name: String,
        /// The first method (`Service.method`).
        first: String,
        /// The second method.
        second: String,
    },
}

/// What a [`Protocol`](crate::Protocol) and an [`Interface`](crate::Interface) need to know of an
/// application, and nothing more: its name, its target namespace, its services and their
/// methods, and the index from request elements to methods.
///
/// The [`Application`](crate::Application) builds it (checking that no two methods take the
/// same request element) and hands it to the protocol stages and the interface; it holds no
/// service instances, listeners or call wrappers, so protocols and interfaces cannot reach
/// into the pipeline that drives them.
pub struct Catalogue {
    name: String,
    tns: String,
    services: Vec<&'static ServiceDescriptor>,
    /// Request element local name -> (namespace, method): most names are unique, so the
    /// namespace is compared only among the few methods sharing a local name. Hashed with
    /// foldhash rather than SipHash: every request looks its method up here (SipHash cost
    /// about 300 instructions a look-up), and the keys are the descriptors' names, which no
    /// request can add to, so a slower hash resistant to chosen collisions buys nothing.
    by_element: HashMap<&'static str, Vec<(String, MethodRef)>, RandomState>,
    /// Header blocks the application processes beyond the declared header types.
    understood_headers: Vec<HeaderName>,
}

impl Catalogue {
    /// A catalogue of `services` (in registration order), or the first clash of request
    /// elements.
    pub fn new(
        name: impl Into<String>,
        tns: impl Into<String>,
        services: Vec<&'static ServiceDescriptor>,
    ) -> Result<Catalogue, ConfigError> {
        let tns = tns.into();
        let mut by_element: HashMap<&'static str, Vec<(String, MethodRef)>, RandomState> =
            HashMap::default();
        for (position, &service) in services.iter().enumerate() {
            for method in service.methods {
                let namespace = method
                    .input
                    .namespace
                    .or(service.namespace)
                    .unwrap_or(&tns)
                    .to_owned();
                let slot = by_element.entry(method.input.name).or_default();
                if let Some((_, other)) = slot.iter().find(|(ns, _)| *ns == namespace) {
                    return Err(ConfigError::DuplicateRequestElement {
                        namespace,
                        name: method.input.name.to_owned(),
                        first: format!("{}.{}", other.service().name, other.method().name),
                        second: format!("{}.{}", service.name, method.name),
                    });
                }
                slot.push((namespace, MethodRef::new(service, method, position)));
            }
        }
        Ok(Catalogue {
            name: name.into(),
            tns,
            services,
            by_element,
            understood_headers: Vec::new(),
        })
    }

    /// This catalogue, saying that the application processes the header blocks `names`
    /// (see [`understands_header`](Self::understands_header)).
    pub fn with_understood_headers(mut self, names: Vec<HeaderName>) -> Self {
        self.understood_headers = names;
        self.understood_headers.dedup();
        self
    }

    /// Whether the application processes header blocks named `{namespace}name` although no
    /// operation declares them as a type (registered with
    /// [`ApplicationBuilder::understand_header`](crate::ApplicationBuilder::understand_header)
    /// or by a call wrapper): a protocol then accepts such a block marked `mustUnderstand`.
    pub fn understands_header(&self, namespace: &str, name: &str) -> bool {
        self.understood_headers
            .iter()
            .any(|h| h.is(namespace, name))
    }

    /// The application's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The target namespace: where types and messages without a namespace of their own live.
    pub fn tns(&self) -> &str {
        &self.tns
    }

    /// Resolves a declared namespace (`None`: the target namespace).
    pub fn resolve_namespace<'a>(&'a self, namespace: Option<&'a str>) -> &'a str {
        namespace.unwrap_or(&self.tns)
    }

    /// The namespace of a method's request or response element.
    pub fn message_namespace<'a>(
        &'a self,
        service: &'a ServiceDescriptor,
        message: &'a MessageDescriptor,
    ) -> &'a str {
        message.namespace.or(service.namespace).unwrap_or(&self.tns)
    }

    /// The services, in registration order.
    pub fn services(&self) -> impl Iterator<Item = &'static ServiceDescriptor> + '_ {
        self.services.iter().copied()
    }

    /// Every method with its service, in registration and declaration order.
    pub fn methods(&self) -> impl Iterator<Item = MethodRef> + '_ {
        self.services
            .iter()
            .enumerate()
            .flat_map(|(position, &service)| {
                service
                    .methods
                    .iter()
                    .map(move |method| MethodRef::new(service, method, position))
            })
    }

    /// The method whose request element is `{namespace}name`.
    pub fn lookup_method(&self, namespace: &str, name: &str) -> Option<MethodRef> {
        self.by_element
            .get(name)?
            .iter()
            .find(|(ns, _)| ns == namespace)
            .map(|(_, m)| *m)
    }

    /// The method whose request element is called `name`, in whatever namespace: for
    /// protocols whose messages carry no namespace (JSON, MessagePack). A method of the target
    /// namespace wins; otherwise the first registered method with that request name.
    pub fn lookup_method_by_name(&self, name: &str) -> Option<MethodRef> {
        let slot = self.by_element.get(name)?;
        slot.iter()
            .find(|(ns, _)| *ns == self.tns)
            .or_else(|| slot.first())
            .map(|(_, m)| *m)
    }

    /// `method` as a method of this catalogue (what a client uses to call a descriptor it
    /// holds), or `None` if no registered service declares it.
    pub fn method_ref(&self, method: &'static MethodDescriptor) -> Option<MethodRef> {
        self.services
            .iter()
            .enumerate()
            .find(|(_, s)| s.methods.iter().any(|m| std::ptr::eq(m, method)))
            .map(|(position, &service)| MethodRef::new(service, method, position))
    }
}

impl fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("name", &self.name)
            .field("tns", &self.tns)
            .field(
                "services",
                &self.services.iter().map(|s| s.name).collect::<Vec<_>>(),
            )
            .finish()
    }
}
