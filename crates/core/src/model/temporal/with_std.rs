//! [`Duration`] to and from [`std::time::Duration`].

use super::{ConversionError, Duration};

const STD: &str = "std::time::Duration";
const OURS: &str = "rpclib Duration";

impl From<std::time::Duration> for Duration {
    /// A non-negative duration in days, hours, minutes and seconds (`PT1H30M`, a day being
    /// 86 400 s in XSD), its fraction printed with the fewest digits that show it.
    fn from(d: std::time::Duration) -> Self {
        Self::from_day_time(false, d.as_secs(), d.subsec_nanos())
    }
}

impl TryFrom<Duration> for std::time::Duration {
    type Error = ConversionError;

    /// Fails for a negative non-zero duration, for years or months (not a fixed length) and
    /// beyond `u64::MAX` seconds. `-PT0S` is zero.
    fn try_from(d: Duration) -> Result<Self, ConversionError> {
        let err = |why: &str| ConversionError::new(OURS, STD, why);
        if d.years != 0 || d.months != 0 {
            return Err(err("years and months have no fixed length"));
        }
        if d.negative && !d.is_zero() {
            return Err(err("the duration is negative"));
        }
        let nanos = d.day_time_nanos();
        let secs =
            u64::try_from(nanos / 1_000_000_000).map_err(|_| err("more than u64::MAX seconds"))?;
        Ok(Self::new(secs, d.nanos))
    }
}
