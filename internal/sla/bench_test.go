package sla

import (
	"math/rand/v2"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/medsec/medsec/internal/schedule"
)

// genWorkOrders fills wos with synthetic work orders opened during 2026:
// responses within 6h, on site within 30h, completion within 10 days,
// one in ten still open; every fifth has a pause.
func genWorkOrders(rng *rand.Rand, wos []schedule.WorkOrder, pauses [][]Pause, first int) {
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := func(max float64) time.Duration { return time.Duration(rng.Float64() * max * float64(time.Hour)) }
	for i := range wos {
		opened := base.Add(h(364 * 24))
		w := schedule.WorkOrder{Key: "WO" + strconv.Itoa(first+i), AssetKey: "A" + strconv.Itoa(rng.IntN(100000)), Type: "Repair",
			Priority: "2", Opened: opened, Responded: opened.Add(h(6)), OnSite: opened.Add(h(30)), Result: "completed"}
		if rng.IntN(10) != 0 {
			w.Completed = opened.Add(h(240))
		}
		wos[i] = w
		pauses[i] = pauses[i][:0]
		if rng.IntN(5) == 0 {
			from := opened.Add(h(48))
			pauses[i] = append(pauses[i], Pause{Reason: PauseAwaitingParts, From: from, To: from.Add(h(72))})
		}
	}
}

// BenchmarkStatus5M evaluates the SLA status (all clocks, with timelines)
// of 5,000,000 work orders, half critical on a 24×7 calendar, half
// non-critical on New York business hours with holidays, using
// Engine.EvaluateAll on GOMAXPROCS workers. Work orders are generated in
// memory in batches of 500,000 outside the timer. -short runs 200,000.
//
//	go test ./internal/sla -run '^$' -bench BenchmarkStatus5M -benchtime=1x
func BenchmarkStatus5M(b *testing.B) {
	p, err := DefaultPolicy("America/New_York", usHolidays2026)
	if err != nil {
		b.Fatal(err)
	}
	e, err := NewEngine(p)
	if err != nil {
		b.Fatal(err)
	}
	total, batch := 5_000_000, 500_000
	if testing.Short() {
		total, batch = 200_000, 100_000
	}
	asOf := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	wos := make([]schedule.WorkOrder, batch)
	pauses := make([][]Pause, batch)
	for i := range pauses {
		pauses[i] = make([]Pause, 0, 1)
	}
	evs := make([]Event, batch)
	b.ResetTimer()
	for range b.N {
		rng := rand.New(rand.NewPCG(42, 42))
		var states [4]atomic.Int64
		var failed atomic.Int64
		for done := 0; done < total; done += batch {
			b.StopTimer()
			genWorkOrders(rng, wos, pauses, done)
			b.StartTimer()
			for i, w := range wos {
				tier := TierCritical
				if i%2 == 1 {
					tier = TierNonCritical
				}
				evs[i] = EventFromWorkOrder(w, tier, EventDeviceDown, pauses[i])
			}
			e.EvaluateAll(evs, asOf, 0, func(_ int, r Result, err error) {
				if err != nil {
					failed.Add(1)
					return
				}
				states[r.State.rank()].Add(1)
			})
		}
		if failed.Load() > 0 {
			b.Fatalf("%d evaluations failed", failed.Load())
		}
		b.ReportMetric(float64(states[StateBreached.rank()].Load()), "breached")
		b.ReportMetric(float64(states[StateMet.rank()].Load()), "met")
		b.ReportMetric(float64(total), "workorders")
	}
}
