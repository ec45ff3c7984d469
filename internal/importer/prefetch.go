package importer

import (
	"github.com/medsec/medsec/internal/store"
)

type fetched struct {
	rec *store.ImportRecord
	err error
}

// prefetch runs next in its own goroutine, a chunk ahead of the caller, so
// that reading and validating the file overlaps writing to the database:
// on two cores that is most of the difference between the two. The
// returned stop must be called when the caller is done, to release the
// goroutine if the caller stopped early.
func prefetch(next func() (*store.ImportRecord, error), depth int) (func() (*store.ImportRecord, error), func()) {
	ch := make(chan []fetched, 4)
	done := make(chan struct{})
	go func() {
		defer close(ch)
		buf := make([]fetched, 0, depth)
		for {
			rec, err := next()
			buf = append(buf, fetched{rec, err})
			if err != nil || len(buf) == depth {
				select {
				case ch <- buf:
				case <-done:
					return
				}
				if err != nil {
					return
				}
				buf = make([]fetched, 0, depth)
			}
		}
	}()
	var cur []fetched
	var last fetched
	pull := func() (*store.ImportRecord, error) {
		if last.err != nil {
			return nil, last.err
		}
		if len(cur) == 0 {
			b, ok := <-ch
			if !ok {
				return nil, last.err
			}
			cur = b
		}
		f := cur[0]
		cur = cur[1:]
		if f.err != nil {
			last = f
		}
		return f.rec, f.err
	}
	var once bool
	stop := func() {
		if !once {
			once = true
			close(done)
		}
	}
	return pull, stop
}
