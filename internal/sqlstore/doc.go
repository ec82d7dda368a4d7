// Package sqlstore implements the arv services over database/sql. The
// sqlite and postgres adapters open a database, apply their own embedded
// migrations and hand it here with a Dialect: the rules, transactions,
// audit chain and queries are written once, in SQL both engines accept
// (placeholders are written "?" and rebound to "$n" for PostgreSQL).
//
// Every change runs in one write transaction that also appends to the
// hash-chained audit log and, on PostgreSQL, issues the NOTIFY that carries
// the change to other server instances; a change is acknowledged only
// after the commit returns. Writers are serialised (one connection on
// SQLite, an advisory transaction lock on PostgreSQL) so the chain has a
// single order.
//
// Times are stored as text in UTC with microseconds
// (arv.AuditTimeFormat), which sorts as text and reads the same on both
// engines.
package sqlstore
