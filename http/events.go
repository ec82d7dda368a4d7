package http

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/arv-project/arv"
)

// entityActions names, by entity type (the part of Event.Entity before the
// slash), the action beyond viewing operations that a subscriber needs to
// receive the event: the stream carries each entity's data, and the roles
// that may see operations are not all allowed to see officers or users.
var entityActions = map[string]arv.Action{
	"user":    arv.ActionManageUsers,
	"session": arv.ActionManageUsers,
	"officer": arv.ActionViewOfficers,
	"shift":   arv.ActionViewOfficers,
	"roster":  arv.ActionViewOfficers,
	"audit":   arv.ActionViewAudit,
	// plan_report: who made which plan (the report itself is not in the
	// event).
	"plan_report": arv.ActionViewPlanning,
}

// mayReceive reports whether u may receive e.
func mayReceive(u *arv.User, e arv.Event) bool {
	kind, _, _ := strings.Cut(e.Entity, "/")
	a, ok := entityActions[kind]
	return !ok || u == arv.SystemUser || arv.Permitted(u.Role, a)
}

// handleEvents streams events as Server-Sent Events ("event: KIND" and
// "data: JSON" of the arv.Event), with a comment every heartbeat interval
// so that proxies keep the connection open. It ends when the session
// ends (checked at each heartbeat), when the client goes away or when the
// server closes.
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) error {
	// The route has checked that the user may view operations; what
	// else each event needs is checked per event (mayReceive).
	u := arv.UserFromContext(r.Context())
	if s.Events == nil {
		return arv.Errorf(arv.ENOTIMPLEMENTED, "Live events are not available on this server.")
	}
	rc := http.NewResponseController(w)
	// The stream outlives the server's read and write timeouts; it is not
	// supported by every ResponseWriter (httptest's recorder), which is
	// harmless.
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})

	ctx := r.Context()
	sess, _ := sessionFrom(ctx)
	events := s.Events.Subscribe(ctx)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write([]byte(": connected\nretry: 5000\n\n")); err != nil {
		return nil
	}
	if err := rc.Flush(); err != nil {
		return nil
	}

	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	done := s.done()
	for {
		var msg []byte
		select {
		case <-ctx.Done():
			return nil
		case <-done:
			return nil
		case e, ok := <-events:
			if !ok {
				return nil
			}
			if !mayReceive(u, e) {
				continue
			}
			data, err := json.Marshal(e)
			if err != nil {
				s.logger().Error("encode event", "kind", e.Kind, "entity", e.Entity, "err", err)
				continue
			}
			msg = append(append(append(append(msg, "event: "...), sseField(e.Kind)...), "\ndata: "...), data...)
			msg = append(msg, "\n\n"...)
		case <-tick.C:
			// A session that ended (signed out, expired, user disabled)
			// ends its stream too.
			if _, _, err := s.Services.FindSession(ctx, sess.token); err != nil {
				return nil
			}
			msg = []byte(": heartbeat\n\n")
		}
		if _, err := w.Write(msg); err != nil {
			return nil
		}
		if err := rc.Flush(); err != nil {
			return nil
		}
	}
}

// sseField keeps a field value on one line.
func sseField(v string) string {
	if v == "" {
		return "message"
	}
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(v)
}
