//! [`MsgValue`]: a decoded MessagePack message, as the reader walks it.

/// A MessagePack value as read from a message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MsgValue {
    Nil,
    Bool(bool),
    /// Any integer family member (positive/negative fixint, int 8..64, uint 8..64).
    Int(i128),
    /// float 32 or float 64 (a float 32 is widened exactly).
    Float(f64),
    Str(String),
    Bin(Vec<u8>),
    Array(Vec<MsgValue>),
    /// Entries in message order, keys unique strings.
    Map(Vec<(String, MsgValue)>),
}

impl MsgValue {
    /// What kind of MessagePack value this is, for messages.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            MsgValue::Nil => "nil",
            MsgValue::Bool(_) => "a boolean",
            MsgValue::Int(_) => "an integer",
            MsgValue::Float(_) => "a float",
            MsgValue::Str(_) => "a string",
            MsgValue::Bin(_) => "a bin",
            MsgValue::Array(_) => "an array",
            MsgValue::Map(_) => "a map",
        }
    }
}
