// Package levels connects the agreement to the service levels: it gives
// internal/agreement the SLA report of internal/service (for the review
// pack), service's tiering (for routing corrective work orders on
// critical devices) and service's SLA warnings (a router of RouteAll). It exists because internal/service imports
// internal/agreement, which therefore cannot import service; importing
// this package (the CLI and the web server do) installs the connection.
package levels

import (
	"context"
	"time"

	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/service"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
)

func init() {
	agreement.SetServiceLevels(Levels{})
	agreement.AddRouter(RouteSLAWarnings)
}

// RouteSLAWarnings is the SLA-warning router of agreement.RouteAll:
// service.RouteWarnings over the same look-back as service.CheckWarnings
// (warnings are state, not news, so RouteAll's since does not narrow
// them; their work keys de-duplicate). It returns the new notifications.
func RouteSLAWarnings(ctx context.Context, n *agreement.Notifier, _ time.Time) (int, error) {
	now := n.Store.Now()
	ws, err := service.RouteWarnings(ctx, n, now.Add(-service.WarningLookback), now)
	total := 0
	for _, w := range ws {
		total += w.New
	}
	return total, err
}

// Levels implements agreement.ServiceLevels with internal/service.
type Levels struct{}

// SLAReport is service.BuildReport's entries for all assets.
func (Levels) SLAReport(ctx context.Context, st *store.Store, from, to, asOf time.Time) ([]sla.ReportEntry, error) {
	rep, err := service.BuildReport(ctx, st, 0, from, to, asOf)
	if err != nil {
		return nil, err
	}
	return rep.Entries, nil
}

// CriticalCorrective decides with service.EventTypeOf (a device-down
// event is corrective work) and service.TierOf under the stored policy.
func (Levels) CriticalCorrective(ctx context.Context, st *store.Store, wos []store.RoutableWorkOrder) ([]bool, []string, error) {
	ok, why := make([]bool, len(wos)), make([]string, len(wos))
	var need []int
	for i, w := range wos {
		if service.EventTypeOf(w.Type) == sla.EventDeviceDown {
			need = append(need, i)
		}
	}
	if len(need) == 0 {
		return ok, why, nil
	}
	p, err := service.LoadPolicy(ctx, st)
	if err != nil {
		return nil, nil, err
	}
	decide := func(i int, a store.ServiceAsset) {
		if t, reason := service.TierOf(p, a); t == sla.TierCritical {
			ok[i], why[i] = true, reason
		}
	}
	if len(need) <= 200 {
		for _, i := range need {
			a, err := st.ServiceAsset(ctx, wos[i].AssetID, 0)
			if err != nil {
				continue // retired or not a medical device: no SLA tier
			}
			decide(i, a)
		}
		return ok, why, nil
	}
	byAsset := map[int64][]int{}
	for _, i := range need {
		byAsset[wos[i].AssetID] = append(byAsset[wos[i].AssetID], i)
	}
	err = st.EachServiceAsset(ctx, 0, func(a store.ServiceAsset) error {
		for _, i := range byAsset[a.ID] {
			decide(i, a)
		}
		return nil
	})
	return ok, why, err
}
