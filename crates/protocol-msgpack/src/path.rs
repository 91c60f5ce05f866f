//! [`Path`]: where a value is in the message (`$.say_hello.greeting.name`,
//! `$.add.values[3]`), the same notation as the JSON protocol's faults.

use std::fmt::{self, Write as _};

/// One step of the path from the message to a value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Member(&'a str),
    Index(usize),
}

/// The path to a value: a linked list up to the root, written only when an error needs it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    step: Step<'a>,
}

impl<'a> Path<'a> {
    /// The path of the message's value (`$.` followed by the message name).
    pub(crate) fn root(name: &'a str) -> Self {
        Path {
            parent: None,
            step: Step::Member(name),
        }
    }

    pub(crate) fn child(&'a self, step: Step<'a>) -> Path<'a> {
        Path {
            parent: Some(self),
            step,
        }
    }

    fn write(&self, out: &mut String) {
        match self.parent {
            Some(parent) => parent.write(out),
            None => out.push('$'),
        }
        let _ = match self.step {
            Step::Member(name) => write!(out, ".{name}"),
            Step::Index(i) => write!(out, "[{i}]"),
        };
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write(&mut s);
        f.write_str(&s)
    }
}
