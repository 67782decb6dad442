// Package hostgate enforces per-host politeness across every crawler process: at
// most Concurrency requests in flight to a host, a minimum Delay between the
// starts of two requests to it, and backoff when the host says so (429/503 with
// Retry-After) or slows down.
//
// A host's state is one record in a Store — a JetStream key-value bucket shared by
// every process, or memory for a single process — changed only by
// compare-and-set. A request takes a lease (a slot in the record that expires, so
// a crashed process cannot hold a host forever), and gives it back with what it
// learned about the host. Unlike Colly's LimitRule, the delay is a spacing of
// request starts, not a sleep taken while holding the slot, and every host has
// limits of its own.
package hostgate
