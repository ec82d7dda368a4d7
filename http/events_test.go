package http_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arv-project/arv"
	arvhttp "github.com/arv-project/arv/http"
	"github.com/arv-project/arv/inmem"
)

// openEnv starts a real server over the fake with in-memory events.
func openEnv(t *testing.T, heartbeat time.Duration) (*env, *inmem.EventService) {
	t.Helper()
	events := inmem.NewEventService()
	e := newEnv(t, func(s *arvhttp.Server) {
		s.Addr = "127.0.0.1:0"
		s.Events = events
		arvhttp.SetHeartbeat(s, heartbeat)
	})
	if err := e.s.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.s.Close() })
	return e, events
}

// stream opens the event stream as the session token.
func stream(t *testing.T, e *env, token string) (*http.Response, *bufio.Reader) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	r, _ := http.NewRequestWithContext(ctx, "GET", e.s.URL()+"/api/v1/events", nil)
	r.AddCookie(&http.Cookie{Name: arvhttp.SessionCookie, Value: token})
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("events: %d %s", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("Content-Type %q", ct)
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", got)
	}
	return resp, bufio.NewReader(resp.Body)
}

// next reads the next message (up to a blank line), with a timeout.
func next(t *testing.T, br *bufio.Reader) (string, error) {
	t.Helper()
	type result struct {
		msg string
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var b strings.Builder
		for {
			line, err := br.ReadString('\n')
			if err != nil {
				ch <- result{b.String(), err}
				return
			}
			if line == "\n" {
				ch <- result{b.String(), nil}
				return
			}
			b.WriteString(line)
		}
	}()
	select {
	case r := <-ch:
		return r.msg, r.err
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
		return "", nil
	}
}

func waitSubscribers(t *testing.T, events *inmem.EventService, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for events.Subscribers() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d subscribers, want %d", events.Subscribers(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestEvents(t *testing.T) {
	e, events := openEnv(t, time.Hour)
	token, _ := e.login(t, "call_handler")
	_, br := stream(t, e, token)
	if msg, err := next(t, br); err != nil || !strings.HasPrefix(msg, ": connected") {
		t.Fatalf("first message %q (%v)", msg, err)
	}
	waitSubscribers(t, events, 1)

	at := time.Date(2026, 11, 5, 14, 0, 0, 0, time.UTC)
	// A call handler may not see officers: that event is not sent.
	events.Publish(arv.Event{Kind: "officer.update", Entity: "officer/3", At: at, Data: json.RawMessage(`{"id":3}`)})
	events.Publish(arv.Event{Kind: "incident.create", Entity: "incident/12", At: at, Data: json.RawMessage(`{"id": 12,
 "status": "awaiting_decision"}`)})
	msg, err := next(t, br)
	if err != nil {
		t.Fatal(err)
	}
	kind, data, ok := strings.Cut(msg, "\ndata: ")
	if !ok || kind != "event: incident.create" || strings.Count(data, "\n") != 1 {
		t.Fatalf("message %q", msg)
	}
	var got arv.Event
	if err := json.Unmarshal([]byte(data), &got); err != nil {
		t.Fatal(err)
	}
	if got.Entity != "incident/12" || !got.At.Equal(at) || string(got.Data) != `{"id":12,"status":"awaiting_decision"}` {
		t.Errorf("event %+v", got)
	}

	// Closing the server ends the stream, promptly.
	start := time.Now()
	if err := e.s.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
	if msg, err := next(t, br); err == nil {
		t.Errorf("stream still open after Close: %q", msg)
	}
	waitSubscribers(t, events, 0)
}

func TestEventsHeartbeatAndSessionEnd(t *testing.T) {
	e, events := openEnv(t, 20*time.Millisecond)
	token, _ := e.login(t, "armed_officer")
	_, br := stream(t, e, token)
	next(t, br) // connected
	for range 2 {
		if msg, err := next(t, br); err != nil || msg != ": heartbeat\n" {
			t.Fatalf("heartbeat %q (%v)", msg, err)
		}
	}
	// Signing out ends the stream at the next heartbeat.
	e.f.DeleteSession(context.Background(), token)
	for {
		msg, err := next(t, br)
		if err != nil {
			break
		}
		if msg != ": heartbeat\n" {
			t.Fatalf("unexpected %q", msg)
		}
	}
	waitSubscribers(t, events, 0)
}

func TestEventsClientGoesAway(t *testing.T) {
	e, events := openEnv(t, time.Hour)
	token, _ := e.login(t, "planner")
	resp, br := stream(t, e, token)
	next(t, br)
	waitSubscribers(t, events, 1)
	resp.Body.Close()
	waitSubscribers(t, events, 0)
}

func TestEventsNeedSession(t *testing.T) {
	e, _ := openEnv(t, time.Hour)
	resp, err := http.Get(e.s.URL() + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("anonymous stream: %d", resp.StatusCode)
	}
}
