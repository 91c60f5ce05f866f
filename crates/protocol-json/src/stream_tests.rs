//! The one-pass reader against the tree it replaced: for many documents, valid and broken
//! (every truncation, single bytes replaced), under default and tiny limits, a request gets
//! the same fault (code and text, line and column included) either way, or succeeds either
//! way.

use std::cell::Cell;
use std::sync::Arc;

use rpclib_core::model::AnyXml;
use rpclib_core::{Application, Catalogue, Choice, ComplexModel, Fault, service};

use crate::Limits;
use crate::error::{INVALID_MESSAGE, METHOD_NOT_FOUND, de_fault};
use crate::protocol::{JsonDocument, parse_fault};
use crate::read::{JsonReader, Path};
use crate::value::{JsonValue, parse};

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:t")]
pub(super) struct Base {
    pub id: i32,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:t")]
pub(super) struct Item {
    #[model(base)]
    pub base: Base,
    #[model(max_len = 4)]
    pub code: String,
    #[model(min_occurs = 1)]
    pub nil: Option<String>,
    pub ints: Vec<i64>,
    pub maybe: Vec<Option<u8>>,
    pub matrix: Vec<Vec<bool>>,
    pub xml: Option<AnyXml>,
    pub ratio: Option<f64>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, PartialEq, Choice)]
#[model(namespace = "urn:t")]
pub(super) enum Contact {
    Email(String),
    Phone(i64),
}

pub(super) struct Service;

#[service(namespace = "urn:t")]
impl Service {
    #[rpc]
    fn items(&self, items: Vec<Item>, count: Option<i32>) -> i32 {
        count.unwrap_or(items.len() as i32)
    }

    #[rpc]
    fn hello(&self, name: String) -> String {
        name
    }

    #[rpc]
    fn grid(&self, rows: Vec<Vec<i64>>) -> i32 {
        rows.len() as i32
    }
}

const DOCUMENTS: &[&str] = &[
    r#"{"hello":{"name":"Dave"}}"#,
    r#"{"hello":{"name":"D\u00e9ve\n"}}"#,
    r#"{"hello":null}"#,
    r#"{"hello":{"name":null}}"#,
    r#"{"hello":{"name":1}}"#,
    r#"{"hello":{"nom":"x","name":"y"}}"#,
    r#"{"hello":{"name":"a","name":"b"}}"#,
    r#"{"hello":{"name":"a"},"hello":{}}"#,
    r#"{"hello":{"name":"a"},"other":1}"#,
    r#"{"other":{"name":"a"}}"#,
    r#"{}"#,
    r#"[]"#,
    r#"[{"hello":{}}]"#,
    r#""hello""#,
    r#"12"#,
    r#"null"#,
    r#"{"items":{"items":[{"id":1,"label":"one","code":"ab","nil":null,"ints":[1,-2,9007199254740993,18446744073709551615],"maybe":[1,null,255],"matrix":[[true],[false,true],[]],"xml":"<a/>","ratio":1.5,"contact":{"email":"e"}}],"count":null}}"#,
    r#"{"items":{"items":[{"id":"7","code":"abcde","nil":"x","ints":[1.5],"maybe":[256],"matrix":[[1]]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[],"maybe":[],"matrix":[],"contact":{"email":"e","phone":1}}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[],"maybe":[],"matrix":[],"contact":{"fax":"e"}},{"id":{}}]}}"#,
    r#"{"items":{"items":[{"id":[1,{"a":[]}],"code":{"x":[1,2,3]},"nil":null}],"count":"3"}}"#,
    r#"{"items":{"items":{"id":1},"count":1e3}}"#,
    r#"{"items":{"count":-0,"items":[{"base":1}]}}"#,
    r#" { "items" : { "items" : [ { "id" : 2 , "code" : "q" , "nil" : null , "ints" : [ ] , "maybe" : [ ] , "matrix" : [ ] , "xml" : 5 } ] } } "#,
    // Arrays of integers, read in one loop (`read_integer_items`): numbers, and every other
    // kind of value among them, each first in its document.
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[1,2,3,4,5],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[7,"2",3],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[1,null],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[1,true,{"a":[2]}],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[[2],1],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[9223372036854775807,9223372036854775808],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":[-9223372036854775808,-9223372036854775809,1e2],"maybe":[],"matrix":[]}]}}"#,
    r#"{"items":{"items":[{"id":1,"code":"a","nil":null,"ints":{"0":1},"maybe":[],"matrix":[]}]}}"#,
    // Shallow enough for the tiny limits to be met inside the arrays of integers.
    r#"{"grid":{"rows":[[1,2,3],[4,5,6],[7,8,9]]}}"#,
    r#"{"grid":{"rows":[[-1,-2,-3],[-4,-5,-6],[-7,-8,-9]]}}"#,
    r#"{"grid":{"rows":[[1,2],[3,"x"]]}}"#,
    r#"{"grid":{"rows":[[1,2,3,4]]}}"#,
    r#"{"grid":{"rows":[[1],[128,-1.5]]}}"#,
    r#"{"grid":{"rows":[[1,"1234567"]]}}"#,
];

/// The reading stages as they were before the one-pass reader: the document parsed whole into
/// a tree, then its member checked, the method looked up and the message read from the tree.
fn tree_read(catalogue: &Catalogue, bytes: &[u8], limits: &Limits) -> Result<(), Fault> {
    let doc = parse(bytes, limits).map_err(|e| parse_fault(&e))?;
    let found = doc.kind();
    let JsonValue::Object(members) = doc else {
        return Err(Fault::client(
            INVALID_MESSAGE,
            format!("expected an object with one member naming the method, found {found}"),
        ));
    };
    let count = members.len();
    let Some((name, mut value)) = members.into_iter().next().filter(|_| count == 1) else {
        return Err(Fault::client(
            INVALID_MESSAGE,
            format!("expected an object with one member naming the method, found {count} members"),
        ));
    };
    let method = catalogue.lookup_method_by_name(&name).ok_or_else(|| {
        Fault::client(
            METHOD_NOT_FOUND,
            format!("no method is called by a `{name}` message"),
        )
    })?;
    let located = Cell::new(false);
    let mut reader = JsonReader::new(&mut value, Path::root(&name), &located);
    (method.method().input.deserialize)(&mut reader)
        .map_err(|e| reader.locate(e))
        .map_err(de_fault)?;
    Ok(())
}

fn stream_read(app: &Arc<Application>, bytes: &[u8]) -> Result<(), Fault> {
    let mut ctx = app.new_context();
    ctx.in_string = vec![bytes.to_vec()];
    app.get_in_object(&mut ctx);
    match ctx.in_error.take() {
        Some(fault) => Err(fault),
        None => Ok(()),
    }
}

fn text(result: &Result<(), Fault>) -> String {
    match result {
        Ok(()) => "ok".to_owned(),
        Err(fault) => format!("{}: {}", fault.code.as_str(), fault.string),
    }
}

/// Every document, its truncations and its one-byte replacements.
fn variants() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for doc in DOCUMENTS {
        let bytes = doc.as_bytes();
        for end in 0..=bytes.len() {
            out.push(bytes[..end].to_vec());
        }
        for at in 0..bytes.len() {
            for b in [b'"', b'}', b']', b',', b'n', b'1', b'[', b'{', b'\\', b' '] {
                let mut changed = bytes.to_vec();
                changed[at] = b;
                out.push(changed);
            }
        }
    }
    out
}

#[test]
fn same_faults_as_the_tree() {
    let tiny = Limits::default()
        .max_depth(4)
        .max_items(3)
        .max_values(12)
        .max_string_bytes(6);
    let mut compared = 0;
    let mut succeeded = 0;
    for limits in [Limits::default(), tiny] {
        let app = Application::builder("T", "urn:t")
            .service(Service)
            .protocol(JsonDocument::with_limits(limits))
            .build()
            .expect("valid application");
        for bytes in variants() {
            let expected = text(&tree_read(app.catalogue(), &bytes, &limits));
            let got = text(&stream_read(&app, &bytes));
            assert_eq!(got, expected, "{}", String::from_utf8_lossy(&bytes));
            compared += 1;
            succeeded += usize::from(got == "ok");
        }
    }
    // The documents are meant to reach every outcome: some succeed, most fail.
    assert!(
        succeeded > 10 && compared > 10 * succeeded,
        "{succeeded} of {compared}"
    );
}
