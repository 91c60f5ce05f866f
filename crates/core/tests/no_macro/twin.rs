//! The macro twin of `hand.rs`: the same service, written with `#[service]` and
//! `#[derive(ComplexModel)]`. Only the Rust names differ (`ItemTwin`, `ShopTwin`); every
//! name on the wire is the same.

use rpclib_core::{ComplexModel, Fault, MethodContext, service};

use super::hand::STOCK;

/// An item of an order.
#[derive(Debug, Clone, PartialEq, ComplexModel)]
#[model(name = "Item", namespace = "urn:example:nomacro")]
pub(crate) struct ItemTwin {
    /// 1 to 16 characters.
    #[model(min_len = 1, max_len = 16)]
    pub(crate) name: String,
    /// At most 100.
    #[model(max_inclusive = 100)]
    pub(crate) quantity: u32,
    /// An optional note.
    pub(crate) note: Option<String>,
}

/// An order desk.
#[derive(Debug)]
pub(crate) struct ShopTwin;

/// An order desk.
#[service(name = "Shop", namespace = "urn:example:nomacro")]
impl ShopTwin {
    /// The price of `item` at `unit_price` per unit.
    #[rpc(safe)]
    fn total(&self, item: ItemTwin, unit_price: u32) -> u64 {
        u64::from(item.quantity) * u64::from(unit_price)
    }

    /// Reserves `item`; an `OutOfStock` fault carrying the item if there are not enough.
    #[rpc(faults(ItemTwin))]
    fn reserve(&self, ctx: &mut MethodContext, item: ItemTwin) -> Result<String, Fault> {
        let _ = ctx;
        if item.quantity > STOCK {
            return Err(Fault::client("OutOfStock", "not enough in stock").with_detail(item));
        }
        Ok(format!("reserved {} x {}", item.quantity, item.name))
    }
}
