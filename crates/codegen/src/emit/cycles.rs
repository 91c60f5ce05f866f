//! Boxing the fields that close a cycle of by-value struct fields (Rust needs a finite size).

use super::types::{Item, ItemKind, Ty};
use crate::ir::MaxOccurs;

/// Marks as boxed every single-valued, non-base field whose target lies in the same strongly
/// connected component as its owner. Tarjan's algorithm, iterative: deep schemas cannot
/// overflow the stack. Returns the items whose base type derives from themselves (a cycle
/// of extensions, which no boxing can make finite).
pub(crate) fn box_cycles(items: &mut [Item]) -> Vec<usize> {
    let n = items.len();
    let edges: Vec<Vec<usize>> = items
        .iter()
        .map(|it| match &it.kind {
            // A choice's alternatives and a polymorphic value's variants are held by value
            // like struct fields.
            ItemKind::Struct(fields)
            | ItemKind::Choice(fields)
            | ItemKind::Polymorphic {
                variants: fields, ..
            } => fields
                .iter()
                .filter(|f| f.max == MaxOccurs::Bounded(1))
                .filter_map(|f| match f.ty {
                    Ty::Item(j) => Some(j),
                    Ty::Rust(_) | Ty::List(_) => None,
                })
                .collect(),
            ItemKind::Enum(_) => Vec::new(),
        })
        .collect();
    let comp = scc(n, &edges);
    // Extension bases alone: a cycle there is an error, not something to box.
    let base_edges: Vec<Vec<usize>> = items
        .iter()
        .map(|it| match &it.kind {
            ItemKind::Struct(fields) => fields
                .iter()
                .filter(|f| f.base)
                .filter_map(|f| match f.ty {
                    Ty::Item(j) => Some(j),
                    Ty::Rust(_) | Ty::List(_) => None,
                })
                .collect(),
            ItemKind::Enum(_) | ItemKind::Choice(_) | ItemKind::Polymorphic { .. } => Vec::new(),
        })
        .collect();
    let base_comp = scc(n, &base_edges);
    let base_cycles = (0..n)
        .filter(|&i| base_edges[i].iter().any(|&j| base_comp[j] == base_comp[i]))
        .collect();
    for (i, it) in items.iter_mut().enumerate() {
        if let ItemKind::Struct(fields)
        | ItemKind::Choice(fields)
        | ItemKind::Polymorphic {
            variants: fields, ..
        } = &mut it.kind
        {
            for f in fields
                .iter_mut()
                .filter(|f| f.max == MaxOccurs::Bounded(1) && !f.base)
            {
                if let Ty::Item(j) = f.ty {
                    f.boxed = comp[i] == comp[j];
                }
            }
        }
    }
    base_cycles
}

fn scc(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSET: usize = usize::MAX;
    let mut index = vec![UNSET; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSET; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut comps = 0;
    for root in 0..n {
        if index[root] != UNSET {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if let Some(&w) = edges[v].get(*ei) {
                *ei += 1;
                if index[w] == UNSET {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(u, _)) = call.last() {
                    low[u] = low[u].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = comps;
                        if w == v {
                            break;
                        }
                    }
                    comps += 1;
                }
            }
        }
    }
    comp
}
