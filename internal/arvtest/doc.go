// Package arvtest is the conformance suite of the arv operations services:
// one set of tests that every storage backend (sqlite, postgres) runs
// against a real database, with fixture builders, a settable clock and a
// straight-line router.
package arvtest
