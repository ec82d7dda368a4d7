package locate

import (
	"runtime"
	"sync"
)

// The parallel loops are cut into a constant number of pieces, not one
// per processor, so that sums formed piece by piece and then added in
// piece order give the same bits on every machine: answers never depend
// on GOMAXPROCS. chunks is the number for the relaxations' loops, which
// cost one small buffer a piece; moveChunks the number for the engines'
// moves, whose pieces each need a copy of the move tables (P·C numbers),
// so it is smaller.
const (
	chunks     = 8
	moveChunks = 4
)

// minParallel is the least work (in inner-loop steps) worth spreading
// over goroutines; below it, starting them costs more than it saves. It
// is a variable so that tests can force the parallel paths on small
// problems.
var minParallel = 50_000

// parallel calls f(k, lo, hi) for the pieces [lo, hi) of [0, n), k = 0
// to pieces−1, on up to GOMAXPROCS goroutines when work (the total of
// inner-loop steps) makes it worthwhile, else in turn. Each call must
// write only its own outputs.
func parallel(pieces, n, work int, f func(k, lo, hi int)) {
	bounds := func(k int) (int, int) { return k * n / pieces, (k + 1) * n / pieces }
	workers := min(runtime.GOMAXPROCS(0), pieces)
	if workers == 1 || work < minParallel {
		for k := range pieces {
			lo, hi := bounds(k)
			f(k, lo, hi)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k := w; k < pieces; k += workers {
				lo, hi := bounds(k)
				f(k, lo, hi)
			}
		})
	}
	wg.Wait()
}
