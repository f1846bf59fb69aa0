//! One field of every simulated client, read in place: the simulator keeps each client's state in
//! one record (see [`Sim`](super::Sim)), so the programs and the phases are views rather than slices.

use super::Client;

/// One field of every client, in client order: what [`Sim::programs`] and [`Sim::phases`] give.
/// The simulator keeps each client's state in one record, so these are views rather than slices.
pub struct PerClient<'a, P, T> {
    pub(super) clients: &'a [Client<P>],
    pub(super) field: fn(&Client<P>) -> &T,
}

impl<P, T> Clone for PerClient<'_, P, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<P, T> Copy for PerClient<'_, P, T> {}

impl<'a, P, T> PerClient<'a, P, T> {
    /// The number of clients.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// True when the run has no client.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }

    /// Client `client`'s field; `None` past the last client.
    pub fn get(&self, client: usize) -> Option<&'a T> {
        self.clients.get(client).map(self.field)
    }

    /// Every client's field, in client order.
    pub fn iter(&self) -> PerClientIter<'a, P, T> {
        PerClientIter {
            clients: self.clients.iter(),
            field: self.field,
        }
    }
}

impl<'a, P, T: 'a> IntoIterator for PerClient<'a, P, T> {
    type Item = &'a T;
    type IntoIter = PerClientIter<'a, P, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterates over one field of every client (see [`PerClient::iter`]).
pub struct PerClientIter<'a, P, T> {
    clients: std::slice::Iter<'a, Client<P>>,
    field: fn(&Client<P>) -> &T,
}

impl<'a, P, T: 'a> Iterator for PerClientIter<'a, P, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        self.clients.next().map(self.field)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.clients.size_hint()
    }
}

impl<'a, P, T: 'a> DoubleEndedIterator for PerClientIter<'a, P, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.clients.next_back().map(self.field)
    }
}

impl<'a, P, T: 'a> ExactSizeIterator for PerClientIter<'a, P, T> {}
