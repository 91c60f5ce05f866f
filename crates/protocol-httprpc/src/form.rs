//! The decoded form: every key/value pair of the query string and body, as a tree of
//! [`Node`]s by key path (`person.name` under `person`, `people[0]` under `people`).

use std::collections::BTreeMap;

use rpclib_core::Fault;

use crate::error::limit;
use crate::key::{Step, parse_key};
use crate::limits::Limits;

/// One value, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Leaf {
    /// UTF-8 text.
    Text(String),
    /// Bytes that are not UTF-8 text, or a file part of a multipart body (`file`): binary
    /// types take them as they are, other types only if they are UTF-8.
    Bytes { data: Vec<u8>, file: bool },
}

impl Leaf {
    /// A value from decoded bytes: text if it is UTF-8 and not a file.
    pub(crate) fn from_bytes(data: Vec<u8>, file: bool) -> Leaf {
        if file {
            return Leaf::Bytes { data, file };
        }
        match String::from_utf8(data) {
            Ok(text) => Leaf::Text(text),
            Err(e) => Leaf::Bytes {
                data: e.into_bytes(),
                file,
            },
        }
    }
}

/// What was sent under one key path: values given for exactly this key (repeated keys give
/// several), fields (`key.name`) and indexed items (`key[i]`).
#[derive(Debug, Default)]
pub(crate) struct Node {
    pub(crate) values: Vec<Leaf>,
    pub(crate) fields: BTreeMap<String, Node>,
    pub(crate) items: BTreeMap<usize, Node>,
}

/// The form being collected, under the [`Limits`].
#[derive(Debug)]
pub(crate) struct Pairs {
    root: Node,
    count: usize,
    limits: Limits,
}

impl Pairs {
    pub(crate) fn new(limits: Limits) -> Self {
        Pairs {
            root: Node::default(),
            count: 0,
            limits,
        }
    }

    /// Adds a pair: the key is split into steps (each step costs a map lookup), the value
    /// stored under the node they lead to.
    pub(crate) fn push(&mut self, key: String, value: Leaf) -> Result<(), Fault> {
        self.count += 1;
        if self.count > self.limits.max_keys {
            return Err(limit(format!(
                "the request has more than {} keys (the key limit)",
                self.limits.max_keys
            )));
        }
        let steps = parse_key(&key, &self.limits)?;
        let mut node = &mut self.root;
        for step in steps {
            node = match step {
                Step::Field(name) => node.fields.entry(name).or_default(),
                Step::Index(i) => node.items.entry(i).or_default(),
            };
        }
        node.values.push(value);
        Ok(())
    }

    /// The tree of every pair pushed.
    pub(crate) fn into_root(self) -> Node {
        self.root
    }
}
