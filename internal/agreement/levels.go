package agreement

import (
	"context"
	"sync"
	"time"

	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
)

// ServiceLevels is what the review pack and the routing need of the
// service levels (internal/service): the SLA report of a period and which
// work orders are corrective work on critical devices. internal/service
// imports this package (its SLA warnings go through Notifier.Route), so it
// cannot be imported here; package internal/agreement/levels implements
// this interface with service's own functions and installs it with
// SetServiceLevels when it is linked in (the CLI and the web server import
// it).
type ServiceLevels interface {
	// SLAReport is the report of the SLA events started in [from, to),
	// evaluated at asOf: one entry per tier and event type.
	SLAReport(ctx context.Context, st *store.Store, from, to, asOf time.Time) ([]sla.ReportEntry, error)
	// CriticalCorrective reports, for each work order, whether it is
	// corrective work (a device-down event) on a critical device, with why.
	CriticalCorrective(ctx context.Context, st *store.Store, wos []store.RoutableWorkOrder) ([]bool, []string, error)
}

// Router routes one more kind of work from the store: RouteAll runs every
// registered router after its own. It must de-duplicate through
// Notifier.Route's work key (Work.Ref), so that running it again is
// harmless.
type Router func(ctx context.Context, n *Notifier, since time.Time) (int, error)

var (
	levelsMu sync.RWMutex
	levels   ServiceLevels
	routers  []Router
)

// SetServiceLevels installs the service levels (see ServiceLevels).
func SetServiceLevels(l ServiceLevels) {
	levelsMu.Lock()
	defer levelsMu.Unlock()
	levels = l
}

// AddRouter registers a router that RouteAll runs (SLA warnings: see
// internal/agreement/levels).
func AddRouter(r Router) {
	levelsMu.Lock()
	defer levelsMu.Unlock()
	routers = append(routers, r)
}

func serviceLevels() (ServiceLevels, []Router) {
	levelsMu.RLock()
	defer levelsMu.RUnlock()
	return levels, append([]Router(nil), routers...)
}
