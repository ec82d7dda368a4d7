// Package postgres opens the arv operations store on PostgreSQL with
// github.com/jackc/pgx/v5, for forces that run several server instances
// (a control room and a regional hub) on one database. Each instance
// LISTENs for the changes the others commit: every write transaction
// issues a NOTIFY, delivered on commit, and the listener feeds the local
// event fan-out, so live boards on every instance see every change in
// commit order.
package postgres
