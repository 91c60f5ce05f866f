//! Capturing raw XML (`xs:anyType`) so that the text stands alone: the namespace
//! declarations it relies on from its ancestors are copied onto its top-level elements.

use rpclib_core::model::AnyXml;

use super::cursor::{Cursor, StartTag, Token, unclosed};
use crate::error::ReadError;

/// A top-level element of the captured content: where its declarations go, and the prefixes
/// it declares itself (which must not be declared twice).
struct Root {
    insert_at: usize,
    declared: Vec<String>,
}

/// Reads the content of `start` (whose start tag was just read) as raw XML, through its end
/// tag. Text, comments, CDATA and references are kept as written.
pub(crate) fn capture(cursor: &mut Cursor<'_>, start: &StartTag<'_>) -> Result<AnyXml, ReadError> {
    let inherited: Vec<(Option<String>, String)> = cursor
        .bindings()
        .into_iter()
        .map(|(p, ns)| (p.map(str::to_owned), ns.to_owned()))
        .collect();
    let depth = cursor.depth();
    let mut used: Vec<String> = Vec::new();
    let mut roots: Vec<Root> = Vec::new();
    let end = loop {
        match cursor.next()? {
            Token::Start(s) => {
                cursor.resolve(&s)?;
                note(&mut used, s.prefix().unwrap_or(""));
                let mut declared = Vec::new();
                for (key, value) in s.attributes() {
                    if key == "xmlns" {
                        declared.push(String::new());
                    } else if let Some(p) = key.strip_prefix("xmlns:") {
                        declared.push(p.to_owned());
                    } else {
                        if let Some((p, _)) = key.split_once(':') {
                            note(&mut used, p);
                        }
                        // QName-valued attributes (xsi:type="tns:T") need their prefix too.
                        if let Some((p, _)) = value.split_once(':')
                            && !p.is_empty()
                            && !p.contains(['/', ' '])
                        {
                            note(&mut used, p);
                        }
                    }
                }
                if cursor.depth() == depth + 1 {
                    roots.push(Root {
                        insert_at: s.offset + 1 + s.qname.len(),
                        declared,
                    });
                }
            }
            Token::End { offset } if cursor.depth() < depth => break offset,
            Token::Eof { offset } => return Err(unclosed(offset)),
            Token::End { .. } | Token::Text { .. } => {}
        }
    };
    let text = cursor.text();
    let slice = |from: usize, to: usize| {
        text.get(from..to)
            .ok_or_else(|| ReadError::syntax("internal: raw XML range outside the document", from))
    };
    let mut out = String::with_capacity(end.saturating_sub(start.content) + 64);
    let mut copied = start.content;
    for root in &roots {
        out.push_str(slice(copied, root.insert_at)?);
        for (prefix, ns) in &inherited {
            let key = prefix.as_deref().unwrap_or("");
            if !used.iter().any(|u| u == key) || root.declared.iter().any(|d| d == key) {
                continue;
            }
            match prefix {
                Some(p) => {
                    out.push_str(" xmlns:");
                    out.push_str(p);
                }
                None => out.push_str(" xmlns"),
            }
            out.push_str("=\"");
            out.push_str(&ns.replace('"', "&quot;"));
            out.push('"');
        }
        copied = root.insert_at;
    }
    out.push_str(slice(copied, end)?);
    Ok(AnyXml::new(out))
}

fn note(used: &mut Vec<String>, prefix: &str) {
    if !used.iter().any(|u| u == prefix) {
        used.push(prefix.to_owned());
    }
}
