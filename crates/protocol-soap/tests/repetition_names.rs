//! A repetition of sibling elements (`#[model(unwrapped)] Vec<T>` in a struct) resolves an
//! item's name once and takes the siblings written like it (same prefix, no declarations of
//! their own) as the same element: these tests pin that a sibling that rebinds its prefix is
//! still resolved, and ends the repetition when it names another element.
#![allow(missing_docs, missing_debug_implementations)]

mod common;

use common::loopback::soap_app;

use std::sync::Arc;

use rpclib_core::{Application, ComplexModel, service};

const NS: &str = "urn:bag";

#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(namespace = "urn:bag")]
pub struct Bag {
    #[model(unwrapped, min_occurs = 0, max_occurs = "unbounded")]
    pub item: Vec<i32>,
    pub tail: Option<String>,
}

pub struct Bags;

#[service(namespace = "urn:bag")]
impl Bags {
    #[rpc]
    fn echo_bag(&self, bag: Bag) -> Bag {
        bag
    }
}

fn server() -> Arc<Application> {
    soap_app(Application::builder("Bags", NS).service(Bags), false)
}

fn serve(bag: &str) -> (u16, String) {
    let body = format!(
        "<s:Envelope xmlns:s=\"{}\" xmlns:b=\"{NS}\" xmlns:o=\"urn:other\"><s:Body>\
         <b:echo_bag><b:bag>{bag}</b:bag></b:echo_bag></s:Body></s:Envelope>",
        common::SOAP11
    );
    common::serve(&server(), body.as_bytes())
}

#[test]
fn siblings_written_alike_are_all_items() {
    let (status, reply) =
        serve("<b:item>1</b:item><b:item>2</b:item> <b:item>3</b:item><b:tail>t</b:tail>");
    assert_eq!(status, 200, "{reply}");
    assert!(
        reply.contains("<tns:item>1</tns:item><tns:item>2</tns:item><tns:item>3</tns:item><tns:tail>t</tns:tail>"),
        "{reply}"
    );
}

#[test]
fn a_sibling_rebinding_its_prefix_is_resolved_again() {
    // The third `b:item` declares `b` as another namespace: not an item of the bag.
    let (status, reply) =
        serve("<b:item>1</b:item><b:item>2</b:item><b:item xmlns:b=\"urn:other\">3</b:item>");
    assert_eq!(status, 500, "{reply}");
    assert!(reply.contains("{urn:other}item"), "{reply}");
    // Declaring the same namespace again keeps it an item.
    let (status, reply) =
        serve("<b:item>1</b:item><b:item xmlns:b=\"urn:bag\">2</b:item><b:item>3</b:item>");
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains("<tns:item>3</tns:item>"), "{reply}");
}

#[test]
fn a_sibling_under_another_prefix_of_another_namespace_ends_the_items() {
    let (status, reply) = serve("<b:item>1</b:item><b:item>2</b:item><o:item>3</o:item>");
    assert_eq!(status, 500, "{reply}");
    assert!(reply.contains("{urn:other}item"), "{reply}");
}
