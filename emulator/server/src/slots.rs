//! Fixed tables of atomically swapped slots: the bounded caches the request path reads without
//! a lock.
//!
//! A key hashes (with foldhash seeded at random per table, so no client can aim at another
//! client's slot without the seed) to one slot; a lookup is one atomic load and the caller's
//! check that the entry really is the one it wants, an insert is one pointer swap that replaces
//! whatever shared the slot. Memory is bounded by the number of slots however many keys go by,
//! and a collision costs the caller the work the cache saves, never a wrong answer, since every
//! entry is checked against the full key before use.

use arc_swap::ArcSwapOption;
use foldhash::quality::RandomState;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

pub(crate) struct SlotTable<E> {
    slots: Box<[ArcSwapOption<E>]>,
    hasher: RandomState,
}

impl<E> SlotTable<E> {
    pub(crate) fn new(slots: usize) -> SlotTable<E> {
        SlotTable {
            slots: (0..slots.max(1)).map(|_| ArcSwapOption::empty()).collect(),
            hasher: RandomState::default(),
        }
    }

    fn slot(&self, key: impl Hash) -> &ArcSwapOption<E> {
        let hash = self.hasher.hash_one(key);
        // The remainder is below the slot count, so it fits a usize.
        let index = usize::try_from(hash % self.slots.len() as u64).unwrap_or(0);
        &self.slots[index]
    }

    /// What `read` makes of the entry in `key`'s slot, if there is one; `read` answers None
    /// for an entry that belongs to another key.
    pub(crate) fn read<R>(&self, key: impl Hash, read: impl FnOnce(&E) -> Option<R>) -> Option<R> {
        self.slot(key).load().as_deref().and_then(read)
    }

    /// Puts `entry` in `key`'s slot, replacing what was there.
    pub(crate) fn insert(&self, key: impl Hash, entry: E) {
        self.slot(key).store(Some(Arc::new(entry)));
    }

    /// Empties every slot.
    pub(crate) fn clear(&self) {
        for slot in self.slots.iter() {
            slot.store(None);
        }
    }

    /// How many slots hold an entry.
    pub(crate) fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.load().is_some()).count()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The most entries it can hold.
    pub(crate) fn capacity(&self) -> usize {
        self.slots.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_found_under_its_key_and_bounded_by_the_slots() {
        let table = SlotTable::new(4);
        for i in 0..100u32 {
            table.insert(i, i);
        }
        assert!(table.len() <= 4);
        // The latest insert is always there; an entry read under another key is refused by
        // the reader's own check.
        assert_eq!(table.read(99u32, |&e| (e == 99).then_some(e)), Some(99));
        assert_eq!(table.read(1000u32, |&e| (e == 1000).then_some(e)), None);
        table.clear();
        assert!(table.is_empty());
        assert_eq!(table.capacity(), 4);
    }
}
