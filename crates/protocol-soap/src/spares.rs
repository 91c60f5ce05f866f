//! Spare vectors kept per thread, so that the reader's and writer's working lists (the
//! namespace declarations in scope, the open elements, the writer's bindings and frames)
//! reuse the allocations of the previous message instead of making new ones for each.
//!
//! A message needs a handful of such lists, each a few entries long; allocating them anew
//! costs a `malloc` and a `free` apiece (and more while they grow), which for a small request
//! is a large part of its work. Each kind of list has a thread-local stack of spares: a list
//! takes one when it is made and gives it back, emptied, when it is dropped. Only lists of a
//! modest capacity are kept, and only a few of each kind, so a large message does not pin its
//! memory to the thread. Lists always made together (a writer's) are kept as one group, taken
//! and given back with one look-up of the thread's spares.

use std::cell::RefCell;
use std::thread::LocalKey;

/// The most spares of one kind a thread keeps.
const SPARES: usize = 4;
/// Lists with a larger capacity (in entries) are freed rather than kept: a usual message's
/// lists hold a few entries (its depth, its namespaces), and with a thread per connection
/// every thread keeps its own spares, so what each keeps stays small.
const KEEP_UP_TO: usize = 64;

/// A thread's stack of spare vectors of one kind.
pub(crate) type Stack<T> = RefCell<Vec<Vec<T>>>;

/// Declares a thread-local [`Stack`] of spare vectors of `$t`.
macro_rules! spare_stack {
    ($(#[$doc:meta])* $name:ident, $t:ty) => {
        thread_local! {
            $(#[$doc])*
            static $name: $crate::spares::Stack<$t> = const { std::cell::RefCell::new(Vec::new()) };
        }
    };
}
pub(crate) use spare_stack;

/// An empty vector: a spare from `stack` if the thread has one, else a new one (which does
/// not allocate until it is pushed to).
pub(crate) fn take<T: 'static>(stack: &'static LocalKey<Stack<T>>) -> Vec<T> {
    stack
        .try_with(|s| s.try_borrow_mut().ok().and_then(|mut s| s.pop()))
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Gives `v`, emptied, back to `stack`, unless it holds no allocation, is too large to keep,
/// or the thread has enough spares (or is ending): then it is simply dropped.
pub(crate) fn give<T: 'static>(stack: &'static LocalKey<Stack<T>>, mut v: Vec<T>) {
    if v.capacity() == 0 || v.capacity() > KEEP_UP_TO {
        return;
    }
    v.clear();
    // A thread being torn down has no stack any more: `v` is then dropped here.
    let _ = stack.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut()
            && s.len() < SPARES
        {
            s.push(v);
        }
    });
}

/// Empties `v` for keeping among a thread's spares as one of a group of lists (a writer's,
/// taken and given back together): its allocation is kept unless it is larger than a spare
/// list may be.
pub(crate) fn empty_for_keeping<T>(v: &mut Vec<T>) {
    if v.capacity() > KEEP_UP_TO {
        *v = Vec::new();
    } else {
        v.clear();
    }
}

/// Gives `group`, its lists emptied with [`empty_for_keeping`], back to `stack` (a thread's
/// spare groups), unless the thread has enough of them (or is ending).
pub(crate) fn give_group<G: 'static>(stack: &'static LocalKey<RefCell<Vec<G>>>, group: G) {
    let _ = stack.try_with(|s| {
        if let Ok(mut s) = s.try_borrow_mut()
            && s.len() < SPARES
        {
            s.push(group);
        }
    });
}

/// A spare group from `stack` if the thread has one.
pub(crate) fn take_group<G: 'static>(stack: &'static LocalKey<RefCell<Vec<G>>>) -> Option<G> {
    stack
        .try_with(|s| s.try_borrow_mut().ok().and_then(|mut s| s.pop()))
        .ok()
        .flatten()
}

/// The allocation of `v`, emptied, as a vector of `U`: for lists whose entries borrow from
/// one message (`&'a str`, a writer's bindings), kept between messages as the same type with
/// `'static` in place of the borrow. Collecting an empty iterator over `v` into a vector of a
/// type of the same size and alignment reuses `v`'s allocation (the standard library's
/// in-place collection; a test checks that it still does), so no entry is ever converted.
/// Only giving back needs it: a spare taken as `Vec<&'static str>` already is a
/// `Vec<&'a str>` (the types are covariant in the borrow), and the collection, about a
/// hundred instructions for some entry types, is not free.
pub(crate) fn recast<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    spare_stack!(NUMBERS, u64);

    #[test]
    fn a_given_vector_is_taken_again_empty() {
        let mut v = take(&NUMBERS);
        v.extend([1, 2, 3]);
        let (ptr, capacity) = (v.as_ptr(), v.capacity());
        give(&NUMBERS, v);
        let again = take(&NUMBERS);
        assert!(again.is_empty());
        assert_eq!((again.as_ptr(), again.capacity()), (ptr, capacity));
        // None left: a new one.
        assert_eq!(take(&NUMBERS).capacity(), 0);
    }

    #[test]
    fn large_vectors_are_not_kept() {
        let v: Vec<u64> = Vec::with_capacity(KEEP_UP_TO + 1);
        give(&NUMBERS, v);
        assert_eq!(take(&NUMBERS).capacity(), 0);
    }

    thread_local! {
        static GROUPS: RefCell<Vec<(Vec<u64>, Vec<u8>)>> = const { RefCell::new(Vec::new()) };
    }

    #[test]
    fn groups_are_kept_emptied_without_their_large_lists() {
        let mut small: Vec<u64> = vec![1, 2, 3];
        let mut large: Vec<u8> = Vec::with_capacity(KEEP_UP_TO + 1);
        large.push(1);
        let (ptr, capacity) = (small.as_ptr(), small.capacity());
        empty_for_keeping(&mut small);
        empty_for_keeping(&mut large);
        give_group(&GROUPS, (small, large));
        let taken = take_group(&GROUPS);
        assert!(taken.as_ref().is_some_and(|(s, l)| s.is_empty()
            && (s.as_ptr(), s.capacity()) == (ptr, capacity)
            && l.capacity() == 0));
        // None left.
        assert!(take_group(&GROUPS).is_none());
        // At most `SPARES` groups are kept.
        for _ in 0..SPARES + 2 {
            give_group(&GROUPS, (Vec::new(), Vec::new()));
        }
        assert_eq!(GROUPS.with(|g| g.borrow().len()), SPARES);
    }

    #[test]
    fn recast_keeps_the_allocation() {
        let text = String::from("a b");
        let mut v: Vec<&str> = text.split(' ').collect();
        v.reserve(10);
        let (ptr, capacity) = (v.as_ptr().cast::<u8>(), v.capacity());
        let kept: Vec<&'static str> = recast(v);
        assert!(kept.is_empty());
        assert_eq!(
            (kept.as_ptr().cast::<u8>(), kept.capacity()),
            (ptr, capacity)
        );
    }
}
