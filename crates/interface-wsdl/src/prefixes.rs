//! Namespace prefixes: fixed ones for the well-known namespaces, `tns` for the target
//! namespace, `s0`, `s1`, ... for the others in order of first use (so output is
//! deterministic).

use rpclib_core::model::XSD_NS;

/// Assigns and remembers prefixes.
#[derive(Debug)]
pub(crate) struct Prefixes {
    tns: String,
    others: Vec<String>,
}

impl Prefixes {
    pub(crate) fn new(tns: &str) -> Self {
        Prefixes {
            tns: tns.to_owned(),
            others: Vec::new(),
        }
    }

    /// The prefix of `namespace`, assigning one on first use.
    pub(crate) fn prefix(&mut self, namespace: &str) -> String {
        if namespace == self.tns {
            return "tns".to_owned();
        }
        if namespace == XSD_NS {
            return "xs".to_owned();
        }
        let index = match self.others.iter().position(|n| n == namespace) {
            Some(i) => i,
            None => {
                self.others.push(namespace.to_owned());
                self.others.len() - 1
            }
        };
        format!("s{index}")
    }

    /// `prefix:local`.
    pub(crate) fn qname(&mut self, namespace: &str, local: &str) -> String {
        format!("{}:{local}", self.prefix(namespace))
    }

    /// The namespaces with `s<n>` prefixes, in assignment order.
    pub(crate) fn others(&self) -> &[String] {
        &self.others
    }
}
