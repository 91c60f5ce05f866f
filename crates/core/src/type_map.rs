//! A map holding at most one value per type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// A map from a type to one value of that type; used for the user-data and event slots of a
/// [`MethodContext`](crate::MethodContext), where each party stores its own typed data.
///
/// Each type's value lives in a boxed slot that stays in the map when the value is removed
/// or the map [cleared](Self::clear): a context that a transport reuses stores the next
/// request's value of the same type without allocating.
#[derive(Default)]
pub struct TypeMap {
    slots: HashMap<TypeId, Box<dyn Slot>, BuildHasherDefault<TypeIdHasher>>,
    /// The number of occupied slots.
    len: usize,
}

/// Hashes a [`TypeId`] as the number it writes. A `TypeId` is itself a hash of its type,
/// made by the compiler, and the keys are types, not input: hashing it again with SipHash
/// cost about 100 instructions per look-up, and a request makes several (a protocol's
/// version, events' data).
#[derive(Default)]
struct TypeIdHasher(u64);

impl Hasher for TypeIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // `TypeId` writes one `u64`; fold anything else in rather than drop it.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(8) ^ n;
    }
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
        self.slots
            .get(&TypeId::of::<T>())
            .and_then(|slot| slot.as_any().downcast_ref::<Option<T>>())
            .and_then(Option::as_ref)
    }

    /// The value of type `T`, mutably.
    pub fn get_mut<T: Send + 'static>(&mut self) -> Option<&mut T> {
        self.slots
            .get_mut(&TypeId::of::<T>())
            .and_then(|slot| slot.as_any_mut().downcast_mut::<Option<T>>())
            .and_then(Option::as_mut)
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
        let removed = self
            .slots
            .get_mut(&TypeId::of::<T>())
            .and_then(|slot| slot.as_any_mut().downcast_mut::<Option<T>>())
            .and_then(Option::take);
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
        for slot in self.slots.values_mut() {
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

    /// `T`'s slot, made (empty) if the map has none yet.
    fn slot_mut<T: Send + 'static>(&mut self) -> &mut Option<T> {
        let slot = self
            .slots
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(None::<T>));
        match slot.as_any_mut().downcast_mut::<Option<T>>() {
            Some(slot) => slot,
            None => unreachable!("TypeMap slots are keyed by their own type's TypeId"),
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
    fn many_types_each_keep_their_value() {
        // Keyed by `TypeId` hashed as it is: every type still finds its own value.
        let mut map = TypeMap::new();
        macro_rules! each {
            ($($t:ty = $v:expr),*) => {
                $( assert!(map.insert::<$t>($v).is_none()); )*
                $( assert_eq!(map.get::<$t>(), Some(&$v)); )*
            };
        }
        each!(u8 = 1, u16 = 2, u32 = 3, u64 = 4, u128 = 5, i8 = 6, i16 = 7, i32 = 8, i64 = 9,
            i128 = 10, usize = 11, isize = 12, bool = true, char = 'x', String = String::from("s"),
            (u8, u8) = (1, 2), Vec<u8> = vec![3], Option<u8> = Some(4), [u8; 2] = [5, 6],
            &'static str = "t");
        assert_eq!(map.len(), 20);
    }

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
