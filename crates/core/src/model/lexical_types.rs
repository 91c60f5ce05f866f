//! [`Model`] for the crate's own lexical types: dates, times, durations and binary data.

use super::primitive::{BASE64_BINARY, DATE, DATE_TIME, DURATION, TIME, lexical_model};
use super::validate::check_length;
use super::{
    ByteArray, Date, DateTime, Duration, Lexical, LexicalError, Model, SimpleType, Time, TypeRef,
};
use super::{Constraints, DeError, Deserializer, FieldPath, SerError, Serializer, ValidationError};

macro_rules! display_lexical {
    ($($ty:ty => $desc:ident;)*) => {$(
        impl Lexical for $ty {
            const TYPE: &'static SimpleType = &$desc;

            fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
                text.parse()
            }

            fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
                f(&self.to_string())
            }
        }
        lexical_model!($ty, |_v, _c, _p| Ok(()));
    )*};
}

display_lexical! {
    Date => DATE;
    Time => TIME;
    DateTime => DATE_TIME;
    Duration => DURATION;
}

impl Lexical for ByteArray {
    const TYPE: &'static SimpleType = &BASE64_BINARY;

    fn parse_lexical(text: &str) -> Result<Self, LexicalError> {
        ByteArray::from_base64(text)
    }

    fn with_lexical<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        f(&self.to_base64())
    }
}
lexical_model!(ByteArray, |v, c, p| check_length(c, p, v.0.len(), "bytes"));
