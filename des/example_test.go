package des_test

import (
	"fmt"

	"github.com/arv-project/arv/des"
)

// A vehicle sets off for a job due to arrive at t = 600 s. At t = 100 s it
// is diverted to a nearer one and will arrive at t = 400 s instead; its
// first arrival event is not removed but superseded, and the loop skips
// it when it comes up (lazy cancellation).
func ExampleQueue() {
	type event struct {
		kind    string
		vehicle int32
		version uint32 // the vehicle's version when scheduled
	}
	version := []uint32{0} // one counter per vehicle

	var q des.Queue[event]
	schedule := func(at des.Time, kind string, v int32) {
		if kind == "arrive" {
			version[v]++ // supersede any pending arrival
		}
		q.Schedule(at, event{kind: kind, vehicle: v, version: version[v]})
	}
	schedule(600, "arrive", 0)
	schedule(100, "divert", 0)

	for {
		at, e, ok := q.Next()
		if !ok {
			break
		}
		if e.kind == "arrive" && e.version != version[e.vehicle] {
			fmt.Printf("%4.0f s: stale %s, skipped\n", at, e.kind)
			continue
		}
		fmt.Printf("%4.0f s: vehicle %d: %s\n", at, e.vehicle, e.kind)
		if e.kind == "divert" {
			schedule(q.Now()+300, "arrive", e.vehicle)
		}
	}
	// Output:
	//  100 s: vehicle 0: divert
	//  400 s: vehicle 0: arrive
	//  600 s: stale arrive, skipped
}

// Incidents arrive at 2 an hour by day (08:00 to 20:00) and none by night.
// Stream 0 of each replication is dedicated to arrivals, so a second
// scenario run with the same seed sees the same ones.
func ExamplePiecewiseRate() {
	const hour = 3600.0
	rates := make([]float64, 24)
	for h := 8; h < 20; h++ {
		rates[h] = 2 / hour
	}
	day, err := des.NewPiecewiseRate(24*hour, hour, rates)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.0f expected a day\n", day.PerPeriod())

	arrivals := des.NewStreams(2024, 0).Stream(0)
	t := des.Time(0)
	for range 3 {
		t = day.Next(arrivals, t)
		fmt.Printf("day %d, %02d:%02d\n", int(t/(24*hour)), int(t/hour)%24, int(t/60)%60)
	}
	// Output:
	// 24 expected a day
	// day 0, 08:34
	// day 0, 09:13
	// day 0, 09:40
}
