// Package service runs the schedule and SLA engines (internal/schedule,
// internal/sla) over the store: which asset is due or overdue for which
// task, compliance by modality, facility and provider, and the SLA clocks
// of work orders and vulnerability findings with their pauses and risk
// exceptions.
package service

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/schedule"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
)

// Settings names.
const (
	SettingPolicy  = "sla_policy"
	SettingCredits = "sla_credits"
)

// DefaultZone is the zone of the default business-hours calendar.
const DefaultZone = "America/New_York"

// InHouse names the party of assets no provider's scope covers.
const InHouse = "Hospital (in-house)"

// CriticalEM is the EM number from which an unscored asset of a modality
// the policy does not list is critical.
const CriticalEM = 12

// TierOf decides an asset's SLA tier. It is the one place to change when
// the tiering source changes:
//
//  1. an asset with clinical impact scores is critical when its clinical
//     tier is high or critical (2 or 3 on the 0–3 scale of asset_scores);
//  2. otherwise the policy's modality table decides;
//  3. otherwise EM ≥ 12 (in the PM program) makes it critical;
//  4. otherwise the policy's default (care-delivery impact threshold, then
//     the default tier).
func TierOf(p sla.Policy, a store.ServiceAsset) (sla.Tier, string) {
	if a.ClinicalTier >= 0 {
		if a.ClinicalTier >= 2 {
			return sla.TierCritical, fmt.Sprintf("critical: clinical impact tier %d (high or critical)", a.ClinicalTier)
		}
		return sla.TierNonCritical, fmt.Sprintf("non-critical: clinical impact tier %d", a.ClinicalTier)
	}
	for m, t := range p.Tiering.ByModality {
		if strings.EqualFold(strings.TrimSpace(m), strings.TrimSpace(a.Modality)) {
			return t, fmt.Sprintf("tier %s for modality %q", t, a.Modality)
		}
	}
	if a.EM >= CriticalEM {
		return sla.TierCritical, fmt.Sprintf("critical: EM %d ≥ %d", a.EM, CriticalEM)
	}
	return p.Tiering.TierFor(sla.AssetProfile{Modality: a.Modality, CareImpact: a.CareDelivery})
}

// Providers decides which party services each asset: the first provider
// whose scope covers it, or InHouse.
type Providers []store.ProviderScope

// Of returns the provider of an asset.
func (ps Providers) Of(a store.ServiceAsset) string {
	for _, p := range ps {
		if p.Covers(a) {
			return p.Party
		}
	}
	return InHouse
}

// ScheduleAsset converts a stored asset for the schedule engine.
func ScheduleAsset(a store.ServiceAsset, provider string) schedule.Asset {
	sa := schedule.Asset{Key: a.Tag, Modality: a.Modality, Manufacturer: a.Manufacturer, Model: a.Model, EM: a.EM,
		Facility: a.Facility, Provider: provider}
	if a.AcquiredOn != "" {
		if t, err := sla.ParseDate(a.AcquiredOn, time.UTC, sla.ConventionMDY); err == nil {
			sa.InService = t
		}
	}
	return sa
}

// Schedules is the schedule position of every task of every asset in a
// scope.
type Schedules struct {
	AsOf    time.Time            `json:"as_of"`
	Results []schedule.DueResult `json:"results"`
	// Problems are assets whose tasks could not be resolved (AEM on
	// critical equipment), one line each.
	Problems []string `json:"problems"`
}

// Compliance groups the results by modality, facility and provider.
func (s Schedules) Compliance() map[string][]schedule.ComplianceGroup {
	return map[string][]schedule.ComplianceGroup{
		"modality": schedule.Compliance(s.Results, schedule.ByModality),
		"facility": schedule.Compliance(s.Results, schedule.ByFacility),
		"provider": schedule.Compliance(s.Results, schedule.ByProvider),
	}
}

// WithStatus returns the results in the given statuses, most urgent first
// (earliest window end).
func (s Schedules) WithStatus(limit int, st ...schedule.Status) []schedule.DueResult {
	var out []schedule.DueResult
	for _, r := range s.Results {
		for _, x := range st {
			if r.Status == x {
				out = append(out, r)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].WindowEnd.Before(out[j].WindowEnd) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// Count returns how many results are in a status.
func (s Schedules) Count(st schedule.Status) int {
	n := 0
	for _, r := range s.Results {
		if r.Status == st {
			n++
		}
	}
	return n
}

// Library loads the stored schedule templates. Stored templates were
// validated on import; any that no longer validate are left out.
func Library(ctx context.Context, st *store.Store) (*schedule.Library, error) {
	ts, err := st.Templates(ctx)
	if err != nil {
		return nil, err
	}
	lib, _ := schedule.NewLibrary(ts, schedule.DefaultRules())
	return lib, nil
}

// ComputeSchedules resolves every in-scope asset's tasks and computes what
// is due, overdue and completed on time at asOf from the stored work
// orders.
func ComputeSchedules(ctx context.Context, st *store.Store, scope int64, asOf time.Time) (Schedules, error) {
	out := Schedules{AsOf: asOf, Results: []schedule.DueResult{}, Problems: []string{}}
	lib, err := Library(ctx, st)
	if err != nil {
		return out, err
	}
	provs, err := st.ProviderScopes(ctx)
	if err != nil {
		return out, err
	}
	// Due needs only an asset's last two completions of each task: the
	// database picks them, so a million work orders stay in SQL.
	types, err := TaskTypes(ctx, st)
	if err != nil {
		return out, err
	}
	done := map[string][]schedule.WorkOrder{}
	if err := st.LastCompletions(ctx, scope, types, schedule.NotDoneResults(), asOf, 2, nil, func(w store.WorkOrderRow) error {
		done[w.AssetKey] = append(done[w.AssetKey], w.WorkOrder)
		return nil
	}); err != nil {
		return out, err
	}
	err = st.EachServiceAsset(ctx, scope, func(a store.ServiceAsset) error {
		sa := ScheduleAsset(a, Providers(provs).Of(a))
		tasks, err := lib.Resolve(sa)
		if err != nil {
			out.Problems = append(out.Problems, err.Error())
			return nil
		}
		for _, t := range tasks {
			out.Results = append(out.Results, schedule.Due(sa, t, done[a.Tag], asOf))
		}
		return nil
	})
	return out, err
}

// TaskTypes returns the stored work-order types (as written) that are
// scheduled tasks (PM, ESI, calibration…).
func TaskTypes(ctx context.Context, st *store.Store) ([]string, error) {
	all, err := st.WorkOrderTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, t := range all {
		if _, err := schedule.ParseTaskType(t); err == nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// EventMeta says where an SLA event came from.
type EventMeta struct {
	AssetID     int64  `json:"asset_id"`
	WorkOrderID int64  `json:"work_order_id,omitempty"`
	FindingID   int64  `json:"finding_id,omitempty"`
	TierWhy     string `json:"tier_why"`
	// StartWhy says why the clock starts when it does (PM completion: the
	// schedule's due date; triage: the first status change).
	StartWhy string `json:"start_why,omitempty"`
}

// EventTypeOf decides the SLA event type of a work order from its type: a
// scheduled task (PM, ESI, calibration…) is PM completion, a security or
// cyber incident a security incident, anything else (repair, corrective,
// device down) a device-down event.
func EventTypeOf(woType string) sla.EventType {
	if _, err := schedule.ParseTaskType(woType); err == nil {
		return sla.EventPMCompletion
	}
	t := strings.ToLower(woType)
	if strings.Contains(t, "incident") || strings.Contains(t, "security") || strings.Contains(t, "cyber") {
		return sla.EventSecurityIncident
	}
	return sla.EventDeviceDown
}

// Cancelled reports a work order closed without the work being done
// (cancelled, could not locate…): it runs no SLA clock.
func Cancelled(w schedule.WorkOrder) bool { return !w.Completed.IsZero() && !w.Done() }

// TriageID and PatchID name the SLA events of a finding.
func TriageID(findingID int64) string { return "F" + strconv.FormatInt(findingID, 10) + "-triage" }
func PatchID(findingID int64) string  { return "F" + strconv.FormatInt(findingID, 10) + "-patch" }

// Events is the set of SLA events in a scope with their origins.
type Events struct {
	Policy sla.Policy
	Engine *sla.Engine
	Events []sla.Event
	Meta   []EventMeta
}

func stamp(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(store.TimeFormat, s); err == nil {
		return t
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	t, _ := sla.ParseDate(s, time.UTC, sla.ConventionMDY)
	return t
}

// Selection narrows LoadEvents: work orders opened in [From, To) (zero:
// unbounded; findings are few and always loaded unless ID is set), or the
// one event ID (a work-order key, F<n>-triage or F<n>-patch).
type Selection struct {
	From, To time.Time
	ID       string
	// ActiveSince keeps only events still open or resolved at or after it
	// (the SLA warnings' view), whenever they started.
	ActiveSince time.Time
}

// findingEvent parses F<n>-triage / F<n>-patch.
func findingEvent(id string) (int64, bool) {
	rest, ok := strings.CutPrefix(id, "F")
	if !ok {
		return 0, false
	}
	num, kind, ok := strings.Cut(rest, "-")
	if !ok || (kind != "triage" && kind != "patch") {
		return 0, false
	}
	n, err := strconv.ParseInt(num, 10, 64)
	return n, err == nil && n > 0
}

// LoadEvents builds the SLA events of the scope: one per work order (not
// cancelled); a scheduled-task order (PM, ESI…) is a PM-completion event
// whose clock starts at the due date the schedule engine computes for the
// task it performs (the order's opened time when the asset has no schedule
// for it). A vulnerability-triage event per finding starts when the
// matching advisory arrived (first_seen) and stops at the finding's first
// status change away from "open"; a patch-deployment event per finding
// whose fix the manufacturer validated stops when remediated. Pauses are
// attached by event id, approved risk exceptions of the asset or its model
// to patch events.
//
// With From/To, repair and incident orders opened in the period are
// loaded, and every scheduled-task order (its clock may start in the
// period whenever it was opened); Evaluate then keeps the events that
// start in the period.
func LoadEvents(ctx context.Context, st *store.Store, scope int64, sel Selection) (*Events, error) {
	p, err := LoadPolicy(ctx, st)
	if err != nil {
		return nil, err
	}
	eng, err := sla.NewEngine(p)
	if err != nil {
		return nil, err
	}
	ev := &Events{Policy: p, Engine: eng}
	type tierInfo struct {
		tier  sla.Tier
		why   string
		asset store.ServiceAsset
	}
	tiers := map[int64]tierInfo{}
	tierOf := func(id int64) (tierInfo, bool) {
		if ti, ok := tiers[id]; ok || sel.ID == "" {
			return ti, ok
		}
		a, err := st.ServiceAsset(ctx, id, scope) // one event: load its asset only
		if err != nil {
			return tierInfo{}, false
		}
		t, why := TierOf(p, a)
		tiers[id] = tierInfo{t, why, a}
		return tiers[id], true
	}
	if sel.ID == "" {
		if err := st.EachServiceAsset(ctx, scope, func(a store.ServiceAsset) error {
			t, why := TierOf(p, a)
			tiers[a.ID] = tierInfo{t, why, a}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	pauses := map[string][]sla.Pause{}
	var ids []string
	if sel.ID != "" {
		ids = []string{sel.ID}
	}
	prs, err := st.Pauses(ctx, ids...)
	if err != nil {
		return nil, err
	}
	for _, pr := range prs {
		pauses[pr.EventID] = append(pauses[pr.EventID], sla.Pause{Reason: sla.PauseReason(pr.Reason), Note: pr.Note, From: pr.From, To: pr.To})
	}
	xs, err := st.Exceptions(ctx, 0)
	if err != nil {
		return nil, err
	}
	byAsset, byModel := map[int64][]sla.RiskException{}, map[int64][]sla.RiskException{}
	for _, x := range xs {
		if x.Approver == "" {
			continue
		}
		re := RiskException(x)
		if x.AssetID != 0 {
			byAsset[x.AssetID] = append(byAsset[x.AssetID], re)
		} else {
			byModel[x.ModelID] = append(byModel[x.ModelID], re)
		}
	}
	add := func(e sla.Event, m EventMeta) {
		if sel.ID != "" && e.ID != sel.ID {
			return
		}
		if !sel.ActiveSince.IsZero() && !e.Resolved.IsZero() && e.Resolved.Before(sel.ActiveSince) {
			return
		}
		e.Pauses = pauses[e.ID]
		ev.Events = append(ev.Events, e)
		ev.Meta = append(ev.Meta, m)
	}
	fid, isFinding := findingEvent(sel.ID)
	if !isFinding {
		taskTypes, err := TaskTypes(ctx, st)
		if err != nil {
			return nil, err
		}
		// Repairs and incidents: opened in the period.
		f := store.WorkOrderFilter{Scope: scope, From: sel.From, To: sel.To, Key: sel.ID, ExcludeTypes: taskTypes, ActiveSince: sel.ActiveSince}
		if err := st.EachWorkOrder(ctx, f, func(w store.WorkOrderRow) error {
			ti, ok := tierOf(w.AssetID)
			if !ok || w.Opened.IsZero() || Cancelled(w.WorkOrder) {
				return nil // retired or non-medical asset, or no work done
			}
			e := sla.EventFromWorkOrder(w.WorkOrder, ti.tier, EventTypeOf(w.Type), nil)
			add(e, EventMeta{AssetID: w.AssetID, WorkOrderID: w.ID, TierWhy: ti.why})
			return nil
		}); err != nil {
			return nil, err
		}
		// Scheduled tasks: every order of the assets concerned, since the
		// due date one answers depends on the completion before it.
		tf := store.WorkOrderFilter{Scope: scope, Types: taskTypes}
		if sel.ID != "" {
			w, err := st.WorkOrderByKey(ctx, sel.ID, scope)
			if err != nil || !slices.Contains(taskTypes, w.Type) {
				tf.Types = []string{}
			} else {
				tf.AssetID = w.AssetID
			}
		}
		// With a period (or the warnings' view) only the orders still open
		// or completed since its start can start a clock in it: a done
		// order's clock starts at the latest at its completion. The last
		// completion before that start gives the first of them its due
		// date; the others follow from the loaded orders.
		since := sel.ActiveSince
		if !sel.From.IsZero() && (since.IsZero() || sel.From.Before(since)) {
			since = sel.From
		}
		byAssetWO := map[int64][]store.WorkOrderRow{}
		history := map[string]bool{} // orders loaded only for their completion
		tf.ActiveSince = since
		if err := st.EachWorkOrder(ctx, tf, func(w store.WorkOrderRow) error {
			byAssetWO[w.AssetID] = append(byAssetWO[w.AssetID], w)
			return nil
		}); err != nil {
			return nil, err
		}
		if !since.IsZero() && len(byAssetWO) > 0 {
			if err := st.LastCompletions(ctx, scope, tf.Types, schedule.NotDoneResults(), since.Add(-time.Microsecond), 1, func(id int64) bool {
				_, ok := byAssetWO[id]
				return ok
			}, func(w store.WorkOrderRow) error {
				if _, ok := byAssetWO[w.AssetID]; ok && (tf.AssetID == 0 || tf.AssetID == w.AssetID) {
					byAssetWO[w.AssetID] = append(byAssetWO[w.AssetID], w)
					history[w.Key] = true
				}
				return nil
			}); err != nil {
				return nil, err
			}
		}
		var lib *schedule.Library
		if len(byAssetWO) > 0 {
			if lib, err = Library(ctx, st); err != nil {
				return nil, err
			}
		}
		assetIDs := make([]int64, 0, len(byAssetWO))
		for id := range byAssetWO {
			assetIDs = append(assetIDs, id)
		}
		slices.Sort(assetIDs)
		for _, id := range assetIDs {
			ti, ok := tierOf(id)
			if !ok {
				continue
			}
			for _, ps := range PMStarts(lib, ScheduleAsset(ti.asset, ""), byAssetWO[id]) {
				w := ps.Order
				if w.Opened.IsZero() || Cancelled(w.WorkOrder) || history[w.Key] {
					continue
				}
				e := sla.EventFromWorkOrder(w.WorkOrder, ti.tier, sla.EventPMCompletion, nil)
				e.Start = ps.Start
				add(e, EventMeta{AssetID: w.AssetID, WorkOrderID: w.ID, TierWhy: ti.why, StartWhy: ps.Why})
			}
		}
	}
	if sel.ID != "" && !isFinding {
		return ev, nil
	}
	if err := st.EachSLAFinding(ctx, scope, fid, func(f store.SLAFinding) error {
		ti, ok := tierOf(f.AssetID)
		if !ok {
			return nil
		}
		m := EventMeta{AssetID: f.AssetID, FindingID: f.ID, TierWhy: ti.why}
		if start := stamp(f.FirstSeen); !start.IsZero() {
			e := sla.Event{ID: TriageID(f.ID), AssetKey: f.AssetTag, Type: sla.EventVulnerabilityTriage, Tier: ti.tier, Start: start}
			tm := m
			switch {
			case f.TriagedAt != "":
				e.Resolved = stamp(f.TriagedAt)
				tm.StartWhy = "triage ends at the finding's first status change away from open (" + e.Resolved.UTC().Format(time.RFC3339) + ")"
			case f.Status != string(medsec.FindingOpen):
				e.Resolved = stamp(f.StatusAt) // no history recorded: the status time is all there is
			}
			add(e, tm)
		}
		if start := stamp(f.FixValidatedOn); !start.IsZero() {
			e := sla.Event{ID: PatchID(f.ID), AssetKey: f.AssetTag, Type: sla.EventPatchDeployment, Tier: ti.tier, Start: start}
			if f.Status == string(medsec.FindingRemediated) {
				e.Resolved = stamp(f.StatusAt)
			}
			e.Exceptions = append(append([]sla.RiskException(nil), byAsset[f.AssetID]...), byModel[ti.asset.ModelID]...)
			add(e, m)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	return ev, nil
}

// PMStart is when the SLA clock of a scheduled-task work order starts.
type PMStart struct {
	Order store.WorkOrderRow
	Start time.Time
	Why   string
}

// PMStarts decides the clock start of each scheduled-task work order of
// one asset (orders of one asset, any order): the due date the schedule
// engine computes for the task the order performs, i.e. the interval
// after the previous completion of that task (after the in-service date
// for the first one). A completion before its due date starts and stops
// the clock at the completion (met). Without a schedule for the task, or
// without any anchor, the clock starts when the order was opened.
func PMStarts(lib *schedule.Library, a schedule.Asset, orders []store.WorkOrderRow) []PMStart {
	tasks := map[schedule.TaskType]schedule.EffectiveTask{}
	resolveWhy := ""
	if lib != nil {
		ts, err := lib.Resolve(a)
		if err != nil {
			resolveWhy = err.Error()
		}
		for _, t := range ts {
			tasks[t.Type] = t
		}
	}
	done := map[schedule.TaskType][]schedule.WorkOrder{}
	for _, w := range orders {
		if tt, ok := w.Task(); ok && w.Done() {
			done[tt] = append(done[tt], w.WorkOrder)
		}
	}
	for _, ws := range done {
		slices.SortFunc(ws, func(x, y schedule.WorkOrder) int { return x.Completed.Compare(y.Completed) })
	}
	out := make([]PMStart, 0, len(orders))
	for _, w := range orders {
		ps := PMStart{Order: w, Start: w.Opened}
		tt, _ := w.Task()
		t, ok := tasks[tt]
		if !ok || t.Interval.IsZero() {
			why := fmt.Sprintf("asset %s has no schedule for %s", a.Key, tt)
			if resolveWhy != "" {
				why = resolveWhy
			}
			ps.Why = why + "; the clock starts when the work order was opened"
			out = append(out, ps)
			continue
		}
		// The completion before this order: before its completion when
		// done, before its opening otherwise.
		before := w.Opened
		if w.Done() {
			before = w.Completed
		}
		var prev schedule.WorkOrder
		for _, d := range done[tt] {
			if d.Key != w.Key && d.Completed.Before(before) {
				prev = d
			}
		}
		var due time.Time
		switch {
		case !prev.Completed.IsZero():
			due = t.Interval.AddTo(prev.Completed)
			ps.Why = fmt.Sprintf("%s due %s: every %s after the previous completion %s (work order %s)",
				tt, due.Format("2006-01-02"), t.Interval, prev.Completed.Format("2006-01-02"), prev.Key)
		case !a.InService.IsZero():
			due = t.Interval.AddTo(a.InService)
			ps.Why = fmt.Sprintf("%s due %s: every %s after the in-service date %s (no earlier completion)",
				tt, due.Format("2006-01-02"), t.Interval, a.InService.Format("2006-01-02"))
		default:
			ps.Why = fmt.Sprintf("no completion and no in-service date to schedule %s from; the clock starts when the work order was opened", tt)
			out = append(out, ps)
			continue
		}
		ps.Start = due
		if w.Done() && w.Completed.Before(due) {
			ps.Start = w.Completed
			ps.Why += "; completed before it was due"
		}
		out = append(out, ps)
	}
	return out
}

// RiskException converts a stored exception for the engine.
func RiskException(x store.ExceptionRow) sla.RiskException {
	return sla.RiskException{ID: "RX-" + strconv.FormatInt(x.ID, 10), Decision: sla.Decision(x.Decision), Controls: x.Controls,
		Requester: x.Requester, Approver: x.Approver, Approved: x.ApprovedAt, Expiry: x.Expiry, Revoked: x.RevokedAt}
}

// Evaluate runs every event whose start falls in [from, to) at asOf and
// returns the results in event order (zero from/to: all events).
func (ev *Events) Evaluate(from, to, asOf time.Time) ([]sla.Result, []EventMeta) {
	var sel []sla.Event
	var meta []EventMeta
	for i, e := range ev.Events {
		if (!from.IsZero() && e.Start.Before(from)) || (!to.IsZero() && !e.Start.Before(to)) {
			continue
		}
		sel = append(sel, e)
		meta = append(meta, ev.Meta[i])
	}
	res := make([]sla.Result, len(sel))
	ok := make([]bool, len(sel))
	ev.Engine.EvaluateAll(sel, asOf, 0, func(i int, r sla.Result, err error) {
		if err == nil { // each worker writes its own indices
			res[i], ok[i] = r, true
		}
	})
	outR, outM := res[:0], meta[:0]
	for i := range res {
		if ok[i] {
			outR = append(outR, res[i])
			outM = append(outM, meta[i])
		}
	}
	return outR, outM
}

// Report is the SLA report of a period, as `medsec sla report` and the SLA
// page show it.
type Report struct {
	From    time.Time             `json:"from"`
	To      time.Time             `json:"to"`
	AsOf    time.Time             `json:"as_of"`
	Policy  string                `json:"policy"`
	Entries []sla.ReportEntry     `json:"entries"`
	Credits sla.CreditStatement   `json:"credits"`
	Meta    map[string]EventMeta  `json:"-"`
	Results map[string]sla.Result `json:"-"`
}

// BuildReport evaluates the events started in [from, to) at asOf.
func BuildReport(ctx context.Context, st *store.Store, scope int64, from, to, asOf time.Time) (*Report, error) {
	ev, err := LoadEvents(ctx, st, scope, Selection{From: from, To: to})
	if err != nil {
		return nil, err
	}
	res, meta := ev.Evaluate(from, to, asOf)
	entries := sla.Report(res, from, to)
	if entries == nil {
		entries = []sla.ReportEntry{}
	}
	rep := &Report{From: from, To: to, AsOf: asOf, Policy: ev.Policy.Name, Entries: entries,
		Meta: map[string]EventMeta{}, Results: map[string]sla.Result{}}
	for i, r := range res {
		if r.State == sla.StateBreached {
			rep.Meta[r.EventID] = meta[i]
			rep.Results[r.EventID] = r
		}
	}
	ag, err := LoadCredits(ctx, st)
	if err != nil {
		return nil, err
	}
	rep.Credits = sla.Credits(entries, ag)
	return rep, nil
}

// EventResult evaluates one event by id at asOf.
func EventResult(ctx context.Context, st *store.Store, scope int64, id string, asOf time.Time) (sla.Result, sla.Event, EventMeta, error) {
	ev, err := LoadEvents(ctx, st, scope, Selection{ID: id})
	if err != nil {
		return sla.Result{}, sla.Event{}, EventMeta{}, err
	}
	if len(ev.Events) == 0 {
		return sla.Result{}, sla.Event{}, EventMeta{}, medsec.Errorf(medsec.ENOTFOUND, "No SLA clock runs for %s.", id)
	}
	e := ev.Events[0]
	if _, ok := ev.Engine.Rule(e.Tier, e.Type); !ok {
		return sla.Result{}, e, ev.Meta[0], medsec.Errorf(medsec.ENOTFOUND, "No SLA clock runs for %s: the SLA policy %q sets no target for %s %s events.", id, ev.Policy.Name, e.Tier, e.Type)
	}
	r, err := ev.Engine.Evaluate(e, asOf)
	return r, e, ev.Meta[0], err
}
