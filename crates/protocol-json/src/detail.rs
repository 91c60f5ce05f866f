//! A fault's `detail` read back into the type the method declares for it (a client reading
//! a fault message or a JSON-RPC error), shared by both protocols.
//!
//! JSON writes the detail as the value alone, without the type's name that XML gives its
//! element: the declared fault types are tried in declaration order and the first that
//! reads the value (strictly: every member known, every required one present, every value
//! of its type) is taken. A detail that reads as none of them stays untyped.

use std::cell::Cell;

use rpclib_core::{FaultDetail, MethodDescriptor};

use crate::read::{JsonReader, Path};
use crate::value::JsonValue;

/// The detail as one of `method`'s declared fault types, if one reads it.
pub(crate) fn typed_detail(
    method: Option<&MethodDescriptor>,
    value: &JsonValue,
) -> Option<FaultDetail> {
    let faults = method?.faults;
    faults.iter().find_map(|fault| {
        // Each try reads its own copy: a reader may move strings out of the tree.
        let mut copy = value.clone();
        let located = Cell::new(false);
        let mut reader = JsonReader::new(&mut copy, Path::root("detail"), &located);
        (fault.deserialize)(&mut reader).ok()
    })
}
