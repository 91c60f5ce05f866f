//! Form keys as paths: `name`, `person.name`, `people[0].name`, `matrix[1][0]`.

use rpclib_core::Fault;

use crate::error::{invalid, limit};
use crate::limits::Limits;

/// One step of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// A field (`.name`, or the key's first name).
    Field(String),
    /// An array index (`[3]`).
    Index(usize),
}

/// Splits `key` into steps: a name, then any of `.name` and `[index]`. Names are the text
/// between separators (anything but `.`, `[` and `]`, never empty); indices are decimal and
/// below [`Limits::max_keys`] (a form cannot fill more items than it has keys).
pub(crate) fn parse_key(key: &str, limits: &Limits) -> Result<Vec<Step>, Fault> {
    if key.len() > limits.max_key_bytes {
        return Err(limit(format!(
            "a key is {} bytes long, more than the limit of {}",
            key.len(),
            limits.max_key_bytes
        )));
    }
    let bad = |why: &str| invalid(format!("malformed key `{key}`: {why}"));
    let mut steps = Vec::new();
    let mut rest = key;
    let mut first = true;
    while !rest.is_empty() || first {
        if steps.len() == limits.max_depth {
            return Err(limit(format!(
                "key `{key}` has more than {} steps (the depth limit)",
                limits.max_depth
            )));
        }
        if let Some(after) = rest.strip_prefix('[').filter(|_| !first) {
            let end = after.find(']').ok_or_else(|| bad("`[` without `]`"))?;
            let digits = &after[..end];
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("an index must be decimal digits"));
            }
            let index = digits
                .parse::<usize>()
                .ok()
                .filter(|i| *i < limits.max_keys)
                .ok_or_else(|| {
                    limit(format!(
                        "index {digits} in key `{key}` is not below the key limit of {}",
                        limits.max_keys
                    ))
                })?;
            steps.push(Step::Index(index));
            rest = &after[end + 1..];
        } else {
            let name_start = if first {
                rest
            } else {
                rest.strip_prefix('.')
                    .ok_or_else(|| bad("expected `.` or `[` after a name or index"))?
            };
            let end = name_start.find(['.', '[', ']']).unwrap_or(name_start.len());
            if end == 0 {
                return Err(bad("empty name"));
            }
            steps.push(Step::Field(name_start[..end].to_owned()));
            rest = &name_start[end..];
        }
        first = false;
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(key: &str) -> Result<Vec<Step>, String> {
        parse_key(key, &Limits::default()).map_err(|f| f.string)
    }

    #[test]
    fn keys() {
        use Step::*;
        assert_eq!(steps("a").unwrap(), [Field("a".into())]);
        assert_eq!(
            steps("p.name").unwrap(),
            [Field("p".into()), Field("name".into())]
        );
        assert_eq!(
            steps("people[10].name").unwrap(),
            [Field("people".into()), Index(10), Field("name".into())]
        );
        assert_eq!(
            steps("m[1][0]").unwrap(),
            [Field("m".into()), Index(1), Index(0)]
        );
        for bad in [
            "", ".a", "a.", "a..b", "[0]", "a[", "a[]", "a[x]", "a[-1]", "a]", "a[0]b", "a.[0]",
        ] {
            assert!(steps(bad).is_err(), "{bad:?}");
        }
        assert!(steps("a[1000]").unwrap_err().contains("key limit"));
        let deep = vec!["a"; 17].join(".");
        assert!(steps(&deep).unwrap_err().contains("depth limit"));
    }
}
