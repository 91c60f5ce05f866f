//! Emission: plans services and types from the IR, names them, and renders formatted Rust.

mod builtin;
mod cycles;
mod mock;
mod render;
mod sample;
mod services;
mod types;
mod wildcard_sample;

use std::collections::BTreeMap;

use crate::diag::Sink;
use crate::ir::Model;
use crate::naming::{self, Scope};

pub(crate) use types::ItemKey;

/// What to generate.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// Every global element and named type, not only those the operations reach.
    pub(crate) keep_all: bool,
    /// The `mock` module: sample values and a mock implementation of every service.
    pub(crate) mock: bool,
    /// Every operation of a service trait gets a provided body answering a
    /// `Server.NotImplemented` fault.
    pub(crate) default_stubs: bool,
}

/// Generates the Rust source (formatted) for `model`; `None` when errors were reported.
pub(crate) fn generate(model: &Model, options: &Options, sink: &mut Sink) -> Option<String> {
    let mut types = types::Types::new(model);
    let services = services::plan(&mut types, sink);
    // A WSDL without a SOAP operation (types and abstract port types only, or a WSDL meant to
    // be imported) still declares a contract's types: a types crate is what it can give.
    let types_only = services.iter().all(|s| s.ops.is_empty()) && !sink.has_errors();
    if types_only
        && !options.keep_all
        && !(model.schema.elements.is_empty() && model.schema.types.is_empty())
    {
        sink.warning(
            None,
            "wsdl:definitions",
            "no SOAP operation: every global element and named type is generated",
        );
    }
    if options.keep_all || types_only {
        for q in model.schema.elements.keys() {
            let pos = model.schema.elements[q].pos.clone();
            types.element_type(q, &pos, sink);
        }
        for (q, def) in &model.schema.types {
            types.named_type(q, def.pos(), sink);
        }
    }
    types.drain(sink);
    if services.iter().all(|s| s.ops.is_empty()) && !sink.has_errors() && types.items.is_empty() {
        sink.error(
            None,
            "wsdl:definitions",
            "nothing to generate: no SOAP operation and no type",
        );
    }
    if sink.has_errors() {
        return None;
    }
    let mut items = types.items;
    for i in cycles::box_cycles(&mut items) {
        sink.error(
            Some(items[i].pos.clone()),
            format!("xs:complexType \"{}\"", items[i].xml_name),
            "derives from itself (a cycle of xs:extension bases)",
        );
    }
    if sink.has_errors() {
        return None;
    }
    assign_names(&mut items);
    let elements = if options.mock {
        sample::sample_elements(model, &items)
    } else {
        Vec::new()
    };
    let tokens = render::file(&items, &services, options, &elements);
    match syn::parse2::<syn::File>(tokens) {
        Ok(file) => Some(prettyplease::unparse(&file)),
        Err(e) => {
            sink.error(None, "generated code", format!("internal error: the generated code does not parse ({e}); please report this with the WSDL"));
            None
        }
    }
}

/// Modules per namespace, names per module: candidates sorted by (namespace, kind, XML name,
/// position), so the result never depends on discovery or hash order.
fn assign_names(items: &mut [types::Item]) {
    let mut namespaces: Vec<&str> = items.iter().map(|i| i.ns.as_str()).collect();
    namespaces.sort();
    namespaces.dedup();
    let mut module_scope = Scope::with_reserved(&["rpclib_core", "std", "core", "alloc"]);
    let modules: BTreeMap<String, String> = namespaces
        .into_iter()
        .map(|ns| {
            (
                ns.to_string(),
                module_scope.claim(&naming::module_name(ns), "_ns"),
            )
        })
        .collect();
    let mut order: Vec<usize> = (0..items.len()).collect();
    let rank = |k: &ItemKey| match k {
        ItemKey::Named(_) => 0,
        ItemKey::Element(_) => 1,
        ItemKey::Anon(_) => 2,
        ItemKey::Polymorphic(_) => 3,
    };
    order.sort_by(|&a, &b| {
        let (x, y) = (&items[a], &items[b]);
        (&x.ns, rank(&x.key), &x.xml_name, &x.key).cmp(&(&y.ns, rank(&y.key), &y.xml_name, &y.key))
    });
    let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
    for i in order {
        let item = &mut items[i];
        let module = modules.get(&item.ns).cloned().unwrap_or_default();
        let scope = scopes.entry(module.clone()).or_default();
        let suffix = match item.key {
            ItemKey::Element(_) => "Element",
            _ => "Type",
        };
        item.rust_name = scope.claim(&item.base_name, suffix);
        item.module = module;
    }
}
