package des

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchEvent is a payload of the size a model uses: an event kind, an
// entity index and a version number for lazy cancellation (12 bytes).
type benchEvent struct {
	kind    uint8
	unit    int32
	version uint32
}

// BenchmarkQueue measures the hold operation, one Next and one Schedule,
// the cost the kernel adds to every simulated event, with n events
// pending throughout. Each popped event is rescheduled an exponential
// time later (mean n seconds, so about one event falls due per second)
// — the classic hold model of future-event-list benchmarks. Delays come
// from a precomputed table, so the benchmark times the queue alone. A
// typical armed-response run has about 1,000 pending events.
func BenchmarkQueue(b *testing.B) {
	for _, n := range []int{100, 1000, 10_000} {
		b.Run("pending="+strconv.Itoa(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			delay := make([]float64, 4096) // a power of two, for the mask below
			for i := range delay {
				delay[i] = r.ExpFloat64() * float64(n)
			}
			var q Queue[benchEvent]
			for i := range n {
				q.Schedule(delay[i%len(delay)], benchEvent{kind: uint8(i % 4), unit: int32(i)})
			}
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				at, e, _ := q.Next()
				e.version++
				q.Schedule(at+delay[i&(len(delay)-1)], e)
				i++
			}
		})
	}
}

// BenchmarkPiecewiseRate draws successive arrivals from a week of hourly
// rates. "busy" is a force-wide incident rate of about 2 an hour, so
// most arrivals fall in the current or the next hour (the O(1) path);
// "sparse" has 2 arrivals a week, all on Friday evening, so every draw
// searches the table.
func BenchmarkPiecewiseRate(b *testing.B) {
	busy := weekly() // 0 to 5 an hour, 2.5 on average
	sparse := make([]float64, 168)
	sparse[4*24+21] = 2 / hour
	for _, tc := range []struct {
		name  string
		rates []float64
	}{{"busy", busy}, {"sparse", sparse}} {
		b.Run(tc.name, func(b *testing.B) {
			p := mustRate(b, week, hour, tc.rates)
			r := rand.New(rand.NewPCG(3, 4))
			now := Time(0)
			b.ReportAllocs()
			for b.Loop() {
				now = p.Next(r, now)
			}
		})
	}
}

var sink float64

// BenchmarkLognormal compares Lognormal, which converts the mean and
// standard deviation on every call, with LognormalMuSigma on parameters
// converted once; "exponential" is a reference point.
func BenchmarkLognormal(b *testing.B) {
	b.Run("mean-sd", func(b *testing.B) {
		r := rand.New(rand.NewPCG(5, 6))
		b.ReportAllocs()
		for b.Loop() {
			sink = Lognormal(r, 1200, 600)
		}
	})
	b.Run("mu-sigma", func(b *testing.B) {
		r := rand.New(rand.NewPCG(5, 6))
		mu, sigma := LognormalParams(1200, 600)
		b.ReportAllocs()
		for b.Loop() {
			sink = LognormalMuSigma(r, mu, sigma)
		}
	})
	b.Run("exponential", func(b *testing.B) {
		r := rand.New(rand.NewPCG(5, 6))
		b.ReportAllocs()
		for b.Loop() {
			sink = Exponential(r, 1200)
		}
	})
}
