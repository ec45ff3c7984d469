package sla

import (
	"runtime"
	"sync"
	"time"
)

// EvaluateAll evaluates evs as of asOf on workers goroutines (≤ 0 means
// GOMAXPROCS) and calls fn with each event's index and outcome. fn is
// called concurrently from the workers and must be safe for that; results
// are not retained, so memory stays flat however many events there are.
func (e *Engine) EvaluateAll(evs []Event, asOf time.Time, workers int, fn func(i int, r Result, err error)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(1, len(evs)))
	var wg sync.WaitGroup
	chunk := (len(evs) + workers - 1) / workers
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(evs))
		if lo >= hi {
			break
		}
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				r, err := e.Evaluate(evs[i], asOf)
				fn(i, r, err)
			}
		})
	}
	wg.Wait()
}
