//! A map holding at most one value per type.

use std::any::{Any, TypeId};
use std::fmt;

/// A map from a type to one value of that type; used for the user-data and event slots of a
/// [`MethodContext`](crate::MethodContext), where each party stores its own typed data.
///
/// Each type's value lives in a boxed slot that stays in the map when the value is removed
/// or the map [cleared](Self::clear): a context that a transport reuses stores the next
/// request's value of the same type without allocating.
///
/// Made for a few types per map (a protocol's two or three, a listener's one): a type is
/// found by comparing ids along a list, which for a handful costs less than hashing the id
/// once.
#[derive(Default)]
pub struct TypeMap {
    /// Each type's slot beside its id, in the order the types first came.
    slots: Vec<(TypeId, Box<dyn Slot>)>,
    /// The number of occupied slots.
    len: usize,
}

/// One type's slot: an `Option<T>`, which can be emptied (its value dropped) without knowing
/// `T`.
trait Slot: Any + Send {
    /// The slot as `Any`, to be downcast to `Option<T>`.
    fn as_any(&self) -> &dyn Any;
    /// The slot as `Any`, mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// Drops the value, if any; whether there was one.
    fn vacate(&mut self) -> bool;
}

impl<T: Send + 'static> Slot for Option<T> {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }

    fn vacate(&mut self) -> bool {
        self.take().is_some()
    }
}

impl TypeMap {
    /// An empty map.
    pub fn new() -> Self {
        TypeMap::default()
    }

    /// Stores `value`, returning the previous value of that type.
    pub fn insert<T: Send + 'static>(&mut self, value: T) -> Option<T> {
        let previous = self.slot_mut::<T>().replace(value);
        if previous.is_none() {
            self.len += 1;
        }
        previous
    }

    /// The value of type `T`.
    pub fn get<T: Send + 'static>(&self) -> Option<&T> {
        let id = TypeId::of::<T>();
        self.slots
            .iter()
            .find(|(of, _)| *of == id)
            .and_then(|(_, slot)| slot.as_any().downcast_ref::<Option<T>>())
            .and_then(Option::as_ref)
    }

    /// The value of type `T`, mutably.
    pub fn get_mut<T: Send + 'static>(&mut self) -> Option<&mut T> {
        self.find_mut::<T>().and_then(Option::as_mut)
    }

    /// The value of type `T`, inserting `T::default()` first if absent.
    pub fn get_or_default<T: Send + Default + 'static>(&mut self) -> &mut T {
        if self.get::<T>().is_none() {
            // Made before it is counted: a `default` that panics leaves the map as it was.
            let value = T::default();
            self.len += 1;
            return self.slot_mut::<T>().insert(value);
        }
        match self.get_mut::<T>() {
            Some(value) => value,
            None => unreachable!("a value of this type was just found"),
        }
    }

    /// Removes and returns the value of type `T` (its slot stays, for the next one).
    pub fn remove<T: Send + 'static>(&mut self) -> Option<T> {
        let removed = self.find_mut::<T>().and_then(Option::take);
        if removed.is_some() {
            self.len -= 1;
        }
        removed
    }

    /// Removes (drops) every value, keeping the table and each type's slot.
    pub fn clear(&mut self) {
        if self.len == 0 {
            return;
        }
        for (_, slot) in &mut self.slots {
            slot.vacate();
        }
        self.len = 0;
    }

    /// Number of values stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// `T`'s slot, if the map has one.
    fn find_mut<T: Send + 'static>(&mut self) -> Option<&mut Option<T>> {
        let id = TypeId::of::<T>();
        self.slots
            .iter_mut()
            .find(|(of, _)| *of == id)
            .and_then(|(_, slot)| slot.as_any_mut().downcast_mut::<Option<T>>())
    }

    /// `T`'s slot, made (empty) if the map has none yet.
    fn slot_mut<T: Send + 'static>(&mut self) -> &mut Option<T> {
        let id = TypeId::of::<T>();
        let at = match self.slots.iter().position(|(of, _)| *of == id) {
            Some(at) => at,
            None => {
                self.slots.push((id, Box::new(None::<T>)));
                self.slots.len() - 1
            }
        };
        match self.slots[at].1.as_any_mut().downcast_mut::<Option<T>>() {
            Some(slot) => slot,
            None => unreachable!("TypeMap slots are kept beside their own type's TypeId"),
        }
    }
}

impl fmt::Debug for TypeMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypeMap").field("len", &self.len).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::TypeMap;

    #[test]
    fn one_value_per_type() {
        let mut map = TypeMap::new();
        assert!(map.is_empty());
        assert_eq!(map.insert(1u8), None);
        assert_eq!(map.insert("a"), None);
        assert_eq!(map.insert(2u8), Some(1));
        assert_eq!(map.len(), 2);
        assert_eq!(map.get::<u8>(), Some(&2));
        *map.get_mut::<&str>().unwrap() = "b";
        assert_eq!(map.get::<&str>(), Some(&"b"));
        assert_eq!(map.get::<u16>(), None);
        assert_eq!(map.remove::<u8>(), Some(2));
        assert_eq!(map.remove::<u8>(), None);
        assert_eq!((map.len(), map.get::<u8>()), (1, None));
        *map.get_or_default::<u32>() += 5;
        *map.get_or_default::<u32>() += 5;
        assert_eq!((map.len(), map.get::<u32>()), (2, Some(&10)));
    }

    #[test]
    fn clearing_drops_the_values_and_keeps_the_slots() {
        let mut map = TypeMap::new();
        let shared = Arc::new(());
        map.insert(Arc::clone(&shared));
        map.insert(7u64);
        let slot = map.get::<u64>().unwrap() as *const u64;
        map.clear();
        // The values are gone (the Arc's count shows the drop) ...
        assert_eq!(Arc::strong_count(&shared), 1);
        assert!(map.is_empty() && map.get::<u64>().is_none());
        // ... and the next value of a type goes into the same slot.
        map.insert(8u64);
        assert_eq!(map.get::<u64>().unwrap() as *const u64, slot);
        assert_eq!(map.len(), 1);
    }
}
