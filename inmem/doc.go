// Package inmem holds in-process implementations of arv services: the
// event fan-out that feeds live boards on a single server.
package inmem
