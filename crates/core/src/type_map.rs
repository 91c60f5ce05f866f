//! A map holding at most one value per type.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;

/// A map from a type to one value of that type; used for the user-data and event slots of a
/// [`MethodContext`](crate::MethodContext), where each party stores its own typed data.
#[derive(Default)]
pub struct TypeMap {
    map: HashMap<TypeId, Box<dyn Any + Send>>,
}

impl TypeMap {
    /// An empty map.
    pub fn new() -> Self {
        TypeMap::default()
    }

    /// Stores `value`, returning the previous value of that type.
    pub fn insert<T: Send + 'static>(&mut self, value: T) -> Option<T> {
        // Replacing a value in place keeps its box (no allocation).
        if let Some(slot) = self.get_mut::<T>() {
            return Some(std::mem::replace(slot, value));
        }
        self.map
            .insert(TypeId::of::<T>(), Box::new(value))
            .and_then(|old| old.downcast().ok().map(|b| *b))
    }

    /// The value of type `T`.
    pub fn get<T: Send + 'static>(&self) -> Option<&T> {
        self.map
            .get(&TypeId::of::<T>())
            .and_then(|b| b.downcast_ref())
    }

    /// The value of type `T`, mutably.
    pub fn get_mut<T: Send + 'static>(&mut self) -> Option<&mut T> {
        self.map
            .get_mut(&TypeId::of::<T>())
            .and_then(|b| b.downcast_mut())
    }

    /// The value of type `T`, inserting `T::default()` first if absent.
    pub fn get_or_default<T: Send + Default + 'static>(&mut self) -> &mut T {
        let slot = self
            .map
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Box::new(T::default()));
        match slot.downcast_mut() {
            Some(v) => v,
            None => unreachable!("TypeMap entries are keyed by their own TypeId"),
        }
    }

    /// Removes and returns the value of type `T`.
    pub fn remove<T: Send + 'static>(&mut self) -> Option<T> {
        self.map
            .remove(&TypeId::of::<T>())
            .and_then(|b| b.downcast().ok().map(|b| *b))
    }

    /// Removes every value, keeping the table's capacity.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Number of values stored.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

impl fmt::Debug for TypeMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypeMap")
            .field("len", &self.map.len())
            .finish()
    }
}
