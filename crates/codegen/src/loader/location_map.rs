//! The location map: URL prefixes that resolve to local directories (like an XML catalog).

use std::path::{Path, PathBuf};

/// Maps remote locations to local files: a location starting with a registered prefix is
/// the directory joined with the rest of the location. The longest matching prefix wins.
#[derive(Debug, Clone, Default)]
pub struct LocationMap {
    entries: Vec<(String, PathBuf)>,
}

impl LocationMap {
    /// An empty map (remote locations do not resolve).
    pub fn new() -> Self {
        LocationMap::default()
    }

    /// Resolves locations starting with `prefix` into `dir`.
    pub fn insert(&mut self, prefix: impl Into<String>, dir: impl Into<PathBuf>) {
        self.entries.push((prefix.into(), dir.into()));
        // Longest prefix first, then by prefix text: the order of `insert` calls never matters.
        self.entries
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    }

    /// Resolves `location` as written in a document in directory `base`: a mapped prefix gives
    /// a file under its directory; an unmapped remote URL is an error (never fetched); a
    /// `file:` URL or a relative or absolute path is a local file.
    pub fn resolve(&self, location: &str, base: &Path) -> Result<PathBuf, String> {
        let location = location.trim();
        for (prefix, dir) in &self.entries {
            if let Some(rest) = location.strip_prefix(prefix.as_str()) {
                let rest = rest.trim_start_matches('/');
                let rel = strip_query(rest);
                if rel.split('/').any(|s| s == "..") {
                    return Err(format!(
                        "location `{location}` leaves the mapped directory {} through `..`",
                        dir.display()
                    ));
                }
                return Ok(dir.join(rel));
            }
        }
        let lower = location.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            return Err(format!(
                "remote location `{location}` is never fetched; map its URL prefix to a local \
                 directory (`--map PREFIX=DIR`, `Builder::map`)"
            ));
        }
        if let Some(path) = location.strip_prefix("file://") {
            return Ok(PathBuf::from(path));
        }
        if lower.contains("://") {
            return Err(format!(
                "location `{location}` uses an unsupported URL scheme"
            ));
        }
        Ok(base.join(strip_query(location)))
    }
}

fn strip_query(s: &str) -> &str {
    s.split(['?', '#']).next().unwrap_or(s)
}
