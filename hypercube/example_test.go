package hypercube_test

import (
	"context"
	"fmt"

	"github.com/arv-project/arv/hypercube"
)

// Two response vehicles, each nearer one of two towns. Calls arrive at 1
// an hour from the first town and 0.5 from the second; a job takes an
// hour on average. With no queue, a call that finds both vehicles busy
// goes to a neighbouring force (mutual aid).
func Example() {
	m := &hypercube.Model{
		Servers: 2,
		Atoms:   2,
		Rate:    []float64{1, 0.5}, // calls an hour
		Service: 1,                 // jobs an hour per vehicle
		Prefer:  [][]int{{0, 1}, {1, 0}},
		Travel: []float64{ // minutes
			8, 25, // vehicle 0 to towns 0 and 1
			25, 10, // vehicle 1 to towns 0 and 1
		},
	}
	res, err := hypercube.Exact(context.Background(), m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("busy: %.3f %.3f\n", res.Workload[0], res.Workload[1])
	fmt.Printf("lost to mutual aid: %.1f%%\n", 100*res.AllBusy)
	fmt.Printf("town 0 served by its own vehicle: %.0f%%\n", 100*res.Dispatch[0][0])
	fmt.Printf("mean travel: %.1f min\n", res.MeanResponse)

	m.Queue = true // calls wait for the first vehicle to come free instead
	res, err = hypercube.Exact(context.Background(), m)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("queue: %.0f%% of calls wait, %.2f h on average\n", 100*res.AllBusy, res.MeanWait)
	// Output:
	// busy: 0.545 0.490
	// lost to mutual aid: 31.0%
	// town 0 served by its own vehicle: 66%
	// mean travel: 13.8 min
	// queue: 64% of calls wait, 1.29 h on average
}
