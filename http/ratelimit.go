package http

import (
	"container/list"
	"sync"
	"time"
)

// Sign-in rate limits: at most this many failed sign-ins per username and
// per client address within the window.
const (
	loginFailuresPerUser = 5
	loginFailuresPerIP   = 20
	loginWindow          = 15 * time.Minute
	// loginMaxKeys bounds each table of the limiter; beyond it the key
	// whose latest failure is oldest is evicted.
	loginMaxKeys = 10000
	// loginMaxKeyLen bounds the length of a key kept (usernames are at
	// most 64 bytes).
	loginMaxKeyLen = 128
)

// failureLog keeps the recent failures of each key, a sliding window, in
// bounded memory: its keys are kept in order of their latest failure so
// that expired and, when full, least recently failing keys are dropped
// from the front in constant time.
type failureLog struct {
	limit int
	keys  map[string]*list.Element // of *failures
	order *list.List               // oldest latest failure first
}

// failures are the times of at most limit recent failures of a key,
// oldest first.
type failures struct {
	key   string
	times []time.Time
}

func newFailureLog(limit int) *failureLog {
	return &failureLog{limit: limit, keys: make(map[string]*list.Element), order: list.New()}
}

// expired reports whether a failure at t has left the window at now.
func expired(t, now time.Time) bool { return !t.After(now.Add(-loginWindow)) }

// live returns the failures of key within the window before now.
func (l *failureLog) live(key string, now time.Time) []time.Time {
	el, ok := l.keys[key]
	if !ok {
		return nil
	}
	f := el.Value.(*failures)
	i := 0
	for i < len(f.times) && expired(f.times[i], now) {
		i++
	}
	return f.times[i:]
}

// blocked returns how long until key may try again, 0 if it may now.
func (l *failureLog) blocked(key string, now time.Time) time.Duration {
	ts := l.live(key, now)
	if len(ts) < l.limit {
		return 0
	}
	// The oldest of the last limit failures must leave the window.
	return ts[len(ts)-l.limit].Add(loginWindow).Sub(now)
}

// add records a failure of key at now.
func (l *failureLog) add(key string, now time.Time) {
	// Drop keys whose latest failure has left the window.
	for el := l.order.Front(); el != nil; el = l.order.Front() {
		f := el.Value.(*failures)
		if !expired(f.times[len(f.times)-1], now) {
			break
		}
		l.remove(el)
	}
	if el, ok := l.keys[key]; ok {
		f := el.Value.(*failures)
		f.times = append(f.times, now)
		if len(f.times) > l.limit {
			f.times = append(f.times[:0], f.times[len(f.times)-l.limit:]...)
		}
		l.order.MoveToBack(el)
		return
	}
	if l.order.Len() >= loginMaxKeys {
		l.remove(l.order.Front())
	}
	l.keys[key] = l.order.PushBack(&failures{key: key, times: []time.Time{now}})
}

func (l *failureLog) remove(el *list.Element) {
	delete(l.keys, el.Value.(*failures).key)
	l.order.Remove(el)
}

// reset forgets key.
func (l *failureLog) reset(key string) {
	if el, ok := l.keys[key]; ok {
		l.remove(el)
	}
}

// loginLimiter limits failed sign-ins per username and per client
// address, in memory.
type loginLimiter struct {
	mu    sync.Mutex
	users *failureLog
	ips   *failureLog
}

func newLoginLimiter() *loginLimiter {
	return &loginLimiter{users: newFailureLog(loginFailuresPerUser), ips: newFailureLog(loginFailuresPerIP)}
}

// limitKey bounds a key's length.
func limitKey(k string) string {
	if len(k) > loginMaxKeyLen {
		return k[:loginMaxKeyLen]
	}
	return k
}

// wait returns how long until user from ip may try to sign in, 0 if they
// may now.
func (l *loginLimiter) wait(user, ip string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(l.users.blocked(limitKey(user), now), l.ips.blocked(limitKey(ip), now))
}

// fail records a failed sign-in.
func (l *loginLimiter) fail(user, ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users.add(limitKey(user), now)
	l.ips.add(limitKey(ip), now)
}

// succeed forgets the failures of user after a successful sign-in; those
// of the address stand.
func (l *loginLimiter) succeed(user string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.users.reset(limitKey(user))
}

// size returns the number of keys held, for tests.
func (l *loginLimiter) size() (users, ips int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.users.keys), len(l.ips.keys)
}
