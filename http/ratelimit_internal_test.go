package http

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLoginLimiterBounded checks the limiter's memory stays bounded under
// a flood of distinct usernames and addresses, and that expired entries
// are dropped.
func TestLoginLimiterBounded(t *testing.T) {
	l := newLoginLimiter()
	now := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	for i := range 3 * loginMaxKeys {
		l.fail("user"+strconv.Itoa(i), "10.0."+strconv.Itoa(i/250)+"."+strconv.Itoa(i%250), now)
		now = now.Add(time.Millisecond)
	}
	users, ips := l.size()
	if users > loginMaxKeys || ips > loginMaxKeys {
		t.Fatalf("limiter holds %d users and %d addresses, more than %d", users, ips, loginMaxKeys)
	}
	// The newest failures are kept; the oldest were evicted.
	if l.users.blocked("user"+strconv.Itoa(3*loginMaxKeys-1), now) != 0 || len(l.users.live("user"+strconv.Itoa(3*loginMaxKeys-1), now)) != 1 {
		t.Errorf("newest failure lost")
	}
	if len(l.users.live("user0", now)) != 0 {
		t.Errorf("oldest failure kept")
	}

	// Once the window has passed, a sweep drops everything.
	now = now.Add(loginWindow + time.Minute)
	l.fail("late", "192.0.2.1", now)
	if users, ips := l.size(); users != 1 || ips != 1 {
		t.Errorf("after the window: %d users, %d addresses", users, ips)
	}

	// Keys are bounded in length and each keeps at most limit times.
	long := strings.Repeat("x", 10000)
	for range 100 {
		l.fail(long, long, now)
	}
	if got := len(l.users.live(long[:loginMaxKeyLen], now)); got != loginFailuresPerUser {
		t.Errorf("%d failures kept for one user", got)
	}
	if got := len(l.ips.live(long[:loginMaxKeyLen], now)); got != loginFailuresPerIP {
		t.Errorf("%d failures kept for one address", got)
	}
}
