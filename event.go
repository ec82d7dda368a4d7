package arv

import (
	"context"
	"encoding/json"
	"time"
)

// Event is a change pushed to live boards.
type Event struct {
	// Kind is the audit action that caused it ("incident.create") or an
	// alert kind ("alert").
	Kind string `json:"kind"`
	// Entity is what changed ("incident/12").
	Entity string    `json:"entity"`
	At     time.Time `json:"at"`
	// Data is the entity after the change.
	Data json.RawMessage `json:"data,omitempty"`
}

// EventService fans events out to subscribers: in-process for SQLite,
// across server instances through PostgreSQL LISTEN/NOTIFY.
type EventService interface {
	// Publish sends e to every subscriber, on every instance.
	Publish(e Event)
	// Subscribe returns a channel of events until ctx ends. A subscriber
	// that falls behind loses events (the channel is buffered) rather
	// than slowing the server.
	Subscribe(ctx context.Context) <-chan Event
}
