// Package sqlite opens the arv operations store on SQLite, the embedded
// default, with the pure-Go modernc.org/sqlite driver (no cgo). The
// database runs in WAL mode with foreign keys on, a busy timeout and full
// synchronous commits; writes go through one connection that begins
// IMMEDIATE transactions, reads through a pool of read-only connections.
package sqlite
