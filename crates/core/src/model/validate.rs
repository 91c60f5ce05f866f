//! Checks of declared constraints, shared by the model implementations.

use std::cmp::Ordering;

use super::{Constraints, FieldPath, Number, ValidationError, ValidationErrorKind};

/// Checks `minLength`/`maxLength` against a length counted in `unit`.
pub(crate) fn check_length(
    c: &Constraints,
    path: &FieldPath,
    len: usize,
    unit: &str,
) -> Result<(), ValidationError> {
    if let Some(min) = c.min_len
        && len < min
    {
        return Err(ValidationError::with_kind(
            ValidationErrorKind::Length,
            path,
            format!("length {len} is below the minimum of {min} {unit}"),
        ));
    }
    if let Some(max) = c.max_len
        && len > max
    {
        return Err(ValidationError::with_kind(
            ValidationErrorKind::Length,
            path,
            format!("length {len} exceeds the maximum of {max} {unit}"),
        ));
    }
    Ok(())
}

/// Checks the `pattern` facet.
pub(crate) fn check_pattern(
    c: &Constraints,
    path: &FieldPath,
    text: &str,
) -> Result<(), ValidationError> {
    let Some(pattern) = c.pattern else {
        return Ok(());
    };
    match pattern.is_match(text) {
        Ok(true) => Ok(()),
        Ok(false) => Err(ValidationError::with_kind(
            ValidationErrorKind::Pattern,
            path,
            format!(
                "value {:?} does not match the pattern `{}`",
                text.chars().take(64).collect::<String>(),
                pattern.source()
            ),
        )),
        Err(e) => Err(ValidationError::with_kind(
            ValidationErrorKind::Pattern,
            path,
            e,
        )),
    }
}

/// A range facet: its bound, how a failure reads, and which orderings pass.
type RangeCheck<'a> = (Option<Number>, &'a str, fn(Ordering) -> bool);

/// Checks the range facets; `cmp` compares the value with a bound (`None`: incomparable,
/// e.g. NaN, which fails every range).
pub(crate) fn check_range(
    c: &Constraints,
    path: &FieldPath,
    cmp: impl Fn(Number) -> Option<Ordering>,
) -> Result<(), ValidationError> {
    // Most values carry no range: skip the table (this runs for every array item).
    if !c.has_range() {
        return Ok(());
    }
    let checks: [RangeCheck<'_>; 4] = [
        (c.min_inclusive, "at least", |o| o != Ordering::Less),
        (c.max_inclusive, "at most", |o| o != Ordering::Greater),
        (c.min_exclusive, "greater than", |o| o == Ordering::Greater),
        (c.max_exclusive, "less than", |o| o == Ordering::Less),
    ];
    for (bound, words, ok) in checks {
        if let Some(bound) = bound
            && !cmp(bound).is_some_and(ok)
        {
            return Err(ValidationError::with_kind(
                ValidationErrorKind::Range,
                path,
                format!("value must be {words} {bound}"),
            ));
        }
    }
    Ok(())
}

/// Checks the item-count facets of an array.
pub(crate) fn check_items(
    c: &Constraints,
    path: &FieldPath,
    count: usize,
) -> Result<(), ValidationError> {
    if let Some(min) = c.min_items
        && count < min
    {
        return Err(ValidationError::with_kind(
            ValidationErrorKind::Occurs,
            path,
            format!("{count} items, fewer than the minimum of {min}"),
        ));
    }
    if let Some(max) = c.max_items
        && count > max
    {
        return Err(ValidationError::with_kind(
            ValidationErrorKind::Occurs,
            path,
            format!("{count} items, more than the maximum of {max}"),
        ));
    }
    Ok(())
}
