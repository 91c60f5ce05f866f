//! Writing messages: envelopes, model values, faults.

pub(crate) mod any;
pub(crate) mod any_attributes;
pub(crate) mod envelope;
pub(crate) mod ser;
pub(crate) mod writer;
