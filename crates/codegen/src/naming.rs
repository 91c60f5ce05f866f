//! Turning XML names into Rust identifiers: deterministic, idiomatic, collision-free.
//!
//! Words are split on non-alphanumerics, lower-to-upper case changes and letter/digit
//! boundaries; types are `CamelCase`, fields, functions and modules `snake_case`. Non-ASCII
//! characters become `U` + their hex code point (`m³/s` → `MU00b3S`), so two names that differ
//! only there stay distinct. An empty or digit-initial name is prefixed (`V` for types, `_`
//! for fields is not idiomatic, so `n` + digits for fields). Keywords become raw identifiers,
//! except `self`, `Self`, `super`, `crate` (which cannot be raw) that get a `_` suffix.
//! The wire name is never derived back from the identifier: every item keeps its XML name in
//! `#[model(name = ..)]`.

use std::collections::BTreeSet;

const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "static",
    "struct",
    "trait",
    "true",
    "try",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "abstract",
    "become",
    "box",
    "do",
    "final",
    "macro",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "yield",
    "union",
    "macro_rules",
    "raw",
    "safe",
];
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits an XML name into words (ASCII alphanumeric runs, `U`+hex for other characters).
fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let boundary = match prev {
                Some(p) => {
                    (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                        || (p.is_ascii_digit() != c.is_ascii_digit())
                        // `XMLParser`: the `P` starts a word when a lowercase letter follows.
                        || (p.is_ascii_uppercase()
                            && c.is_ascii_uppercase()
                            && chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase()))
                }
                None => false,
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(c);
            prev = Some(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            if !c.is_ascii() {
                out.push(format!("U{:04x}", c as u32));
            }
            prev = None;
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn capitalize(w: &str) -> String {
    let lower = w.to_ascii_lowercase();
    let mut cs = lower.chars();
    match cs.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
        None => String::new(),
    }
}

/// A `CamelCase` type or variant name for `xml`.
pub fn type_name(xml: &str) -> String {
    let mut s: String = words(xml).iter().map(|w| capitalize(w)).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'V');
    }
    escape(s)
}

/// A `snake_case` field, parameter, function or module name for `xml`.
pub fn field_name(xml: &str) -> String {
    let mut s = words(xml)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'n');
    }
    escape(s)
}

/// A `snake_case` parameter name: the same as [`field_name`] (`#[service]` takes raw
/// identifiers, `r#type`, as parameters and names their elements without the `r#`).
pub fn param_name(xml: &str) -> String {
    field_name(xml)
}

/// Raw identifier for keywords, `_` suffix for the four that cannot be raw.
fn escape(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// A module name for a namespace URI: its last meaningful segment (`http://x.org/a/b/2020` →
/// `b_2020`, version-like segments keep their predecessor), `types` for the empty namespace.
pub fn module_name(ns: &str) -> String {
    if ns.is_empty() {
        return "no_namespace".into();
    }
    let body = ns.split_once("://").map_or(ns, |(_, r)| r);
    let body = body.strip_prefix("urn:").unwrap_or(body);
    let segments: Vec<&str> = body
        .split(['/', ':', '#', '?'])
        .map(|s| s.trim_end_matches(".wsdl").trim_end_matches(".xsd"))
        .filter(|s| !s.is_empty() && !s.starts_with("www."))
        .collect();
    let mut picked: Vec<&str> = Vec::new();
    for s in segments.iter().rev() {
        picked.insert(0, s);
        // A segment made of digits and dots (a version or a date) is kept with the one before.
        if !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
            break;
        }
    }
    // Keywords stay raw identifiers (`urn:type` → `r#type`), like any other name.
    field_name(&picked.join("_"))
}

/// Hands out unique names in one scope. Callers must offer candidates in a deterministic
/// order (the generator sorts by kind, namespace, XML name, then document position); the
/// first to ask keeps the plain name, later ones get `suffix`, then `_2`, `_3`, ...
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A unique name based on `base`; `suffix` (e.g. `Element`) is tried before numbers.
    pub fn claim(&mut self, base: &str, suffix: &str) -> String {
        let key = |s: &str| s.trim_start_matches("r#").to_ascii_lowercase();
        let mut candidates = vec![base.to_string()];
        if !suffix.is_empty() {
            candidates.push(format!("{}{suffix}", base.trim_start_matches("r#")));
        }
        for c in candidates {
            if self.taken.insert(key(&c)) {
                return c;
            }
        }
        let stem = base.trim_start_matches("r#");
        let mut n = 2u32;
        loop {
            let c = format!("{stem}_{n}");
            if self.taken.insert(key(&c)) {
                return c;
            }
            n += 1;
        }
    }
}
