//! The nonces seen recently, to refuse a token sent twice: bounded in time (an entry lives as
//! long as a token with its `Created` is accepted) and in size (the oldest entry goes first).
//!
//! Only tokens whose password checked out are recorded, so filling the cache takes valid
//! credentials; evicting an entry before its time (more than `capacity` fresh tokens within
//! one window) reopens that token to a replay, which is logged.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

type Key = (String, Vec<u8>);

#[derive(Debug, Default)]
struct State {
    expiry: HashMap<Key, Instant>,
    /// Keys in insertion order; with one lifetime for all, also in expiry order.
    order: VecDeque<(Key, Instant)>,
}

/// Nonces per user, each kept for `lifetime`, at most `capacity` of them.
#[derive(Debug)]
pub(crate) struct NonceCache {
    state: Mutex<State>,
    capacity: usize,
    lifetime: Duration,
}

impl NonceCache {
    pub(crate) fn new(capacity: usize, lifetime: Duration) -> Self {
        NonceCache {
            state: Mutex::new(State::default()),
            capacity: capacity.max(1),
            lifetime,
        }
    }

    /// Records `nonce` of `user` seen at `now`; `false` if it was seen within its lifetime.
    pub(crate) fn insert(&self, user: &str, nonce: &[u8], now: Instant) -> bool {
        // A poisoned lock means a panic elsewhere while holding it; the map is still
        // consistent (every update below is a single insert or remove), so keep using it.
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let state = &mut *state;
        while let Some((key, at)) = state.order.front() {
            if *at > now {
                break;
            }
            if state.expiry.get(key) == Some(at) {
                state.expiry.remove(key);
            }
            state.order.pop_front();
        }
        let key = (user.to_owned(), nonce.to_vec());
        if state.expiry.get(&key).is_some_and(|at| *at > now) {
            return false;
        }
        if state.expiry.len() >= self.capacity
            && let Some((old, at)) = state.order.pop_front()
        {
            log::warn!(
                target: crate::LOG_TARGET,
                "the nonce cache is full ({} entries): a nonce was forgotten before its time",
                self.capacity
            );
            if state.expiry.get(&old) == Some(&at) {
                state.expiry.remove(&old);
            }
        }
        let at = now + self.lifetime;
        state.expiry.insert(key.clone(), at);
        state.order.push_back((key, at));
        true
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.state.lock().map(|s| s.expiry.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_nonce_within_its_lifetime_and_forgets_it_after() {
        let cache = NonceCache::new(10, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(cache.insert("ann", b"n1", t0));
        assert!(!cache.insert("ann", b"n1", t0 + Duration::from_secs(59)));
        // Another user may use the same nonce.
        assert!(cache.insert("bob", b"n1", t0));
        assert!(cache.insert("ann", b"n1", t0 + Duration::from_secs(61)));
    }

    #[test]
    fn stays_within_its_capacity() {
        let cache = NonceCache::new(3, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..10u8 {
            assert!(cache.insert("ann", &[i], t0));
            assert!(cache.len() <= 3);
        }
        // The newest are still refused; the oldest were evicted.
        assert!(!cache.insert("ann", &[9], t0));
        assert!(cache.insert("ann", &[0], t0));
    }
}
