package inmem

import (
	"context"
	"sync"

	"github.com/arv-project/arv"
)

// SubscriberBuffer is how many events a slow subscriber may fall behind
// before it loses events. Default for NewEventService.
const SubscriberBuffer = 256

// EventService fans events out to in-process subscribers.
type EventService struct {
	mu   sync.Mutex
	subs map[chan arv.Event]struct{}
	// Dropped counts events lost to slow subscribers.
	dropped int64
}

var _ arv.EventService = (*EventService)(nil)

// NewEventService returns an empty fan-out.
func NewEventService() *EventService {
	return &EventService{subs: make(map[chan arv.Event]struct{})}
}

// Publish sends e to every subscriber without blocking; a subscriber whose
// buffer is full misses it.
func (s *EventService) Publish(e arv.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- e:
		default:
			s.dropped++
		}
	}
}

// Subscribe returns a channel of events, closed when ctx ends.
func (s *EventService) Subscribe(ctx context.Context) <-chan arv.Event {
	ch := make(chan arv.Event, SubscriberBuffer)
	s.mu.Lock()
	s.subs[ch] = struct{}{}
	s.mu.Unlock()
	go func() {
		<-ctx.Done()
		s.mu.Lock()
		delete(s.subs, ch)
		close(ch)
		s.mu.Unlock()
	}()
	return ch
}

// Subscribers returns the number of live subscribers.
func (s *EventService) Subscribers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.subs)
}

// Dropped returns how many events slow subscribers have missed.
func (s *EventService) Dropped() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}
