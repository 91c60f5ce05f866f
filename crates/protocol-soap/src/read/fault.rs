//! Reading a fault from a reply (client side), for both SOAP versions.

use rpclib_core::model::{AnyXml, DeError, Deserializer, TypeRef};
use rpclib_core::{Catalogue, Fault, FaultCode, FaultDescriptor, FaultDetail};

use super::cursor::{Cursor, StartTag, Token, unclosed};
use super::de::XmlDeserializer;
use crate::version::SoapVersion;

/// What a fault element holds, as read.
#[derive(Debug, Default)]
struct FaultParts {
    code: Option<String>,
    /// The namespace of a 1.1 `faultcode` outside the envelope's (`wsse:FailedAuthentication`).
    code_ns: Option<String>,
    string: Option<String>,
    actor: Option<String>,
    detail: Option<rpclib_core::model::AnyXml>,
}

/// The fault detail types the called method declares, for reading a detail back into its type.
pub(crate) struct DeclaredFaults<'c> {
    /// Resolves the types' namespaces (`None`: the application's).
    pub(crate) catalogue: &'c Catalogue,
    /// The method's operation name, for error messages.
    pub(crate) operation: &'c str,
    /// The method's [`MethodDescriptor::faults`](rpclib_core::MethodDescriptor::faults).
    pub(crate) faults: &'static [FaultDescriptor],
}

/// Reads the fault element `start` into a [`Fault`].
///
/// The detail is read into a declared fault type when it holds exactly one element named as
/// one of `declared`'s types (name and namespace, as the WSDL declares the detail element);
/// a detail that names a declared type but does not read as it is an error. Any other detail is
/// kept as raw XML ([`AnyXml`]).
pub(crate) fn read_fault<'a>(
    de: &mut XmlDeserializer<'a>,
    start: StartTag<'a>,
    version: SoapVersion,
    declared: Option<&DeclaredFaults<'_>>,
) -> Result<Fault, DeError> {
    let _ = start;
    let mut parts = FaultParts::default();
    for_each_child(de, &mut |de, child| {
        match (version, child.local()) {
            (SoapVersion::Soap11, "faultcode") => {
                let text = text_of(de, child)?;
                let (code, ns) = code_11(de, text.trim(), version);
                parts.code = Some(code);
                parts.code_ns = ns;
            }
            (SoapVersion::Soap11, "faultstring") => parts.string = Some(text_of(de, child)?),
            (SoapVersion::Soap11, "faultactor") | (SoapVersion::Soap12, "Role") => {
                parts.actor = Some(text_of(de, child)?).filter(|a| !a.is_empty());
            }
            (SoapVersion::Soap11, "detail") | (SoapVersion::Soap12, "Detail") => {
                de.set_current(child, None);
                parts.detail = Some(de.read_any()?).filter(|d| !d.as_str().trim().is_empty());
            }
            (SoapVersion::Soap12, "Code") => parts.code = Some(code_12(de)?),
            (SoapVersion::Soap12, "Reason") => {
                let mut reason = None;
                for_each_child(de, &mut |de, text| {
                    if text.local() == "Text" && reason.is_none() {
                        reason = Some(text_of(de, text)?);
                    } else {
                        skip(de, text)?;
                    }
                    Ok(())
                })?;
                parts.string = reason;
            }
            _ => skip(de, child)?,
        }
        Ok(())
    })?;
    let mut code = FaultCode::new(parts.code.unwrap_or_else(|| "Server".to_owned()));
    if let Some(ns) = parts.code_ns {
        code = code.with_namespace(ns);
    }
    let mut fault = Fault::new(code, parts.string.unwrap_or_default());
    fault.actor = parts.actor;
    if let Some(detail) = parts.detail {
        let limits = *de.cursor().limits();
        let typed = match declared {
            Some(declared) => typed_detail(&detail, declared, limits)?,
            None => None,
        };
        fault.detail = Some(typed.unwrap_or_else(|| FaultDetail::new(detail)));
    }
    Ok(fault)
}

/// The detail read into its declared type, if `detail` (the detail element's content, which
/// stands alone: [`AnyXml`] carries the namespace declarations it uses) holds exactly one
/// element, named as one of the declared fault types.
fn typed_detail(
    detail: &AnyXml,
    declared: &DeclaredFaults<'_>,
    limits: crate::limits::Limits,
) -> Result<Option<FaultDetail>, DeError> {
    if declared.faults.is_empty() {
        return Ok(None);
    }
    let mut de = XmlDeserializer::new(
        Cursor::new(detail.as_str(), limits),
        declared.catalogue.tns(),
    );
    // The first element; anything else first (text beside it) is not a lone typed element.
    let start = match de.cursor().next_significant() {
        Ok(Token::Start(start)) => start,
        _ => return Ok(None),
    };
    let Ok((ns, local)) = de.cursor().resolve(&start) else {
        return Ok(None);
    };
    let (ns, local) = (ns.to_owned(), local.to_owned());
    let Some(fd) = declared.faults.iter().find(|fd| {
        let ty = (fd.ty)();
        ty.name() == local && declared.catalogue.resolve_namespace(ty.namespace()) == ns
    }) else {
        return Ok(None);
    };
    de.set_current(start, None);
    let value = (fd.deserialize)(&mut de).map_err(|e| {
        DeError::with_kind(
            e.kind(),
            format!(
                "the fault detail `{local}`, a declared fault of `{}`, does not read as its \
                 type: {e}",
                declared.operation
            ),
        )
        .caused_by(e)
    })?;
    // Exactly one element: a second one (or text after it) keeps the detail as raw XML.
    match de.cursor().next_significant() {
        Ok(Token::Eof { .. }) => Ok(Some(value)),
        _ => Ok(None),
    }
}

type ChildVisitor<'v, 'a> =
    dyn FnMut(&mut XmlDeserializer<'a>, StartTag<'a>) -> Result<(), DeError> + 'v;

/// Calls `visit` for each child element of the element whose start tag was just read, through
/// its end tag.
fn for_each_child<'a>(
    de: &mut XmlDeserializer<'a>,
    visit: &mut ChildVisitor<'_, 'a>,
) -> Result<(), DeError> {
    loop {
        let token = de.cursor().next_significant().map_err(|e| de.fail(e))?;
        match token {
            Token::Start(child) => visit(de, child)?,
            Token::End { .. } => return Ok(()),
            Token::Text { .. } => {}
            Token::Eof { offset } => return Err(de.fail(unclosed(offset))),
        }
    }
}

fn text_of<'a>(de: &mut XmlDeserializer<'a>, start: StartTag<'a>) -> Result<String, DeError> {
    de.set_current(start, None);
    Ok(de.read_simple(TypeRef::Any)?.into_owned())
}

fn skip<'a>(de: &mut XmlDeserializer<'a>, start: StartTag<'a>) -> Result<(), DeError> {
    let _ = start;
    de.cursor()
        .skip_element()
        .map(|_| ())
        .map_err(|e| de.fail(e))
}

/// A 1.1 `faultcode` (`env:Client.Sub`) as a dotted code: the envelope prefix is dropped; a
/// code qualified by another namespace is its local name with that namespace
/// (`wsse:FailedAuthentication`); an unqualified or unresolvable code is kept as written.
fn code_11(
    de: &mut XmlDeserializer<'_>,
    text: &str,
    version: SoapVersion,
) -> (String, Option<String>) {
    match de.cursor().resolve_text_qname(text) {
        Some((ns, local)) if ns == version.envelope_namespace() => (local.to_owned(), None),
        Some((ns, local)) if !ns.is_empty() && text.contains(':') => {
            (local.to_owned(), Some(ns.to_owned()))
        }
        _ => (text.to_owned(), None),
    }
}

/// A 1.2 `Code` (`Value` plus nested `Subcode`s) as a dotted code; `Sender`/`Receiver` read
/// back as `Client`/`Server`, the classes rpclib's codes use.
fn code_12(de: &mut XmlDeserializer<'_>) -> Result<String, DeError> {
    let mut segments: Vec<String> = Vec::new();
    read_code_level(de, &mut segments)?;
    if let Some(head) = segments.first_mut() {
        match head.as_str() {
            "Sender" => *head = "Client".to_owned(),
            "Receiver" => *head = "Server".to_owned(),
            _ => {}
        }
    }
    Ok(segments.join("."))
}

fn read_code_level(
    de: &mut XmlDeserializer<'_>,
    segments: &mut Vec<String>,
) -> Result<(), DeError> {
    for_each_child(de, &mut |de, child| {
        match child.local() {
            "Value" => {
                let text = text_of(de, child)?;
                let text = text.trim();
                let local = de
                    .cursor()
                    .resolve_text_qname(text)
                    .map_or(text, |(_, local)| local)
                    .to_owned();
                segments.push(local);
            }
            "Subcode" => read_code_level(de, segments)?,
            _ => skip(de, child)?,
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use rpclib_core::model::DeErrorKind;

    use super::*;
    use crate::limits::Limits;
    use crate::read::cursor::Cursor;

    fn read(text: &str) -> Result<Fault, DeError> {
        let mut de = XmlDeserializer::new(Cursor::new(text, Limits::default()), "");
        let Ok(Token::Start(start)) = de.cursor().next() else {
            panic!("no start tag in {text}");
        };
        read_fault(&mut de, start, SoapVersion::Soap11, None)
    }

    #[test]
    fn reads_a_fault() {
        let fault = read(
            "<Fault><faultcode>Client.Refused</faultcode><faultstring>no</faultstring></Fault>",
        )
        .expect("a fault");
        assert_eq!(fault.code.as_str(), "Client.Refused");
        assert_eq!(fault.string, "no");
    }

    #[test]
    fn malformed_markup_anywhere_in_a_fault_is_a_syntax_error() {
        for text in [
            // Between the children, in a skipped child, in a child's text, unclosed.
            "<Fault><faultcode>Client</faultcode></oops></Fault>",
            "<Fault><other><a></b></other></Fault>",
            "<Fault><faultstring>a &bogus; b</faultstring></Fault>",
            "<Fault><faultcode>Client</faultcode>",
        ] {
            let e = read(text).expect_err(text);
            assert_eq!(e.kind(), DeErrorKind::Syntax, "{text}: {e}");
            assert!(e.position().is_some(), "{text}: {e}");
            assert!(
                std::error::Error::source(&e)
                    .is_some_and(|s| s.downcast_ref::<crate::XmlError>().is_some()),
                "{text}: {e}"
            );
        }
    }
}
