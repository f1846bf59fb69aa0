//! The list type.
//!
//! Redis 7.0 keeps every list as a *quicklist* — a doubly linked list of listpack nodes of up to
//! 8 KB each (`list-max-listpack-size -2`) — whatever its length: OBJECT ENCODING answers
//! `quicklist` for a list of one element (a plain listpack list came with Redis 7.2). Nothing else
//! about the nodes is visible to a command, so the elements are kept here in one ring buffer, which
//! gives the same O(1) pushes and pops at both ends.

use std::collections::VecDeque;

/// What OBJECT ENCODING answers for a list in Redis 7.0.
pub const ENCODING: &str = "quicklist";

/// Estimated bytes of one element besides its own (the listpack entry's header and back-length,
/// the node's share).
const PER_ELEMENT_BYTES: usize = 12;
/// Estimated bytes of the quicklist and its first node.
const BASE_BYTES: usize = 48;

/// A list value: elements in order, head first.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct List {
    items: VecDeque<Vec<u8>>,
    /// Bytes of the elements themselves.
    bytes: usize,
}

impl List {
    /// An empty list (a key must not keep one).
    pub fn new() -> List {
        List::default()
    }

    /// The number of elements (LLEN).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there is no element.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Pushes at the head (`left`) or the tail.
    pub fn push(&mut self, element: Vec<u8>, left: bool) {
        self.bytes += element.len();
        if left {
            self.items.push_front(element);
        } else {
            self.items.push_back(element);
        }
    }

    /// Pops from the head (`left`) or the tail.
    pub fn pop(&mut self, left: bool) -> Option<Vec<u8>> {
        let element = if left {
            self.items.pop_front()
        } else {
            self.items.pop_back()
        }?;
        self.bytes -= element.len();
        Some(element)
    }

    /// The element at `index` from the head (0 first).
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        self.items.get(index).map(Vec::as_slice)
    }

    /// Replaces the element at `index`; false when out of range.
    pub fn set(&mut self, index: usize, element: Vec<u8>) -> bool {
        match self.items.get_mut(index) {
            Some(slot) => {
                self.bytes = self.bytes - slot.len() + element.len();
                *slot = element;
                true
            }
            None => false,
        }
    }

    /// Inserts `element` so that it ends up at `index` (`index <= len`).
    pub fn insert(&mut self, index: usize, element: Vec<u8>) {
        self.bytes += element.len();
        self.items.insert(index, element);
    }

    /// Removes the element at `index`.
    pub fn remove(&mut self, index: usize) -> Option<Vec<u8>> {
        let element = self.items.remove(index)?;
        self.bytes -= element.len();
        Some(element)
    }

    /// Keeps the `len` elements from `start` (both within the list), dropping the others.
    pub fn keep(&mut self, start: usize, len: usize) {
        self.items.truncate(start.saturating_add(len));
        self.items.drain(..start.min(self.items.len()));
        self.bytes = self.items.iter().map(Vec::len).sum();
    }

    /// The elements, head first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + ExactSizeIterator + '_ {
        self.items.iter().map(Vec::as_slice)
    }

    /// The index of every element equal to `element`, from the head or (`from_tail`) the tail.
    pub fn positions<'a>(
        &'a self,
        element: &'a [u8],
        from_tail: bool,
    ) -> Box<dyn Iterator<Item = usize> + 'a> {
        let hits = self
            .items
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.as_slice() == element)
            .map(|(i, _)| i);
        if from_tail {
            Box::new(hits.rev())
        } else {
            Box::new(hits)
        }
    }

    /// An estimate of the bytes the list takes, for the memory guard.
    pub fn approx_bytes(&self) -> usize {
        BASE_BYTES + self.bytes + PER_ELEMENT_BYTES * self.items.len()
    }
}
