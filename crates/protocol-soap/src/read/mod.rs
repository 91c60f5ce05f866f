//! Reading messages: bytes to text, envelope decomposition and dispatch, values.

pub(crate) mod any;
pub(crate) mod any_attributes;
pub(crate) mod cursor;
pub(crate) mod de;
pub(crate) mod document;
pub(crate) mod envelope;
pub(crate) mod fault;
pub(crate) mod names;
pub(crate) mod polymorphic;
pub(crate) mod prolog;
pub(crate) mod scan;
pub(crate) mod stages;
