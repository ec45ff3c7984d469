package sla

import "github.com/medsec/medsec/internal/schedule"

// EventFromWorkOrder makes the SLA event of a CMMS work order: the clock
// starts when the order is opened; responded, on site and completed are
// the milestones (completed only if the work was actually done, see
// schedule.WorkOrder.Done). The caller decides the tier (Tiering.TierFor)
// and the event type (a repair order is EventDeviceDown, a PM order
// EventPMCompletion with Start set to the PM due date instead).
func EventFromWorkOrder(wo schedule.WorkOrder, tier Tier, et EventType, pauses []Pause) Event {
	ev := Event{
		ID: wo.Key, AssetKey: wo.AssetKey, Type: et, Tier: tier,
		Start: wo.Opened, Responded: wo.Responded, OnSite: wo.OnSite, Pauses: pauses,
	}
	if wo.Done() {
		ev.Resolved = wo.Completed
	}
	return ev
}
