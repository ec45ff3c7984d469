package agreement

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/store"
)

// ExpiringWithin is how long before its expiry an approved risk exception
// is announced to the informed parties.
const ExpiringWithin = 30 * 24 * time.Hour

// RouteAll routes every kind of work the store holds through the current
// agreement's RACI: new findings (first seen at or after since) and
// escalated ones, risk exceptions (requested, approved, expiring within
// 30 days), new corrective work orders on critical devices (stored or
// updated at or after since), then the registered routers (SLA warnings).
// Every piece of work has a key, so running it again, or with
// overlapping since windows, notifies nothing twice: medsec serve runs it
// on a ticker, and match and the inbox run it after they change the data.
// It returns how many notifications were new; a failing kind does not
// stop the others (their errors are joined).
func RouteAll(ctx context.Context, st *store.Store, since time.Time) (int, error) {
	return NewNotifier(st).RouteAll(ctx, since)
}

// RouteAll is the package's RouteAll with this notifier's mailer.
func (n *Notifier) RouteAll(ctx context.Context, since time.Time) (int, error) {
	total := 0
	var errs []error
	steps := []struct {
		name string
		fn   func(context.Context, time.Time) (int, error)
	}{
		{"new findings", n.NewFindings},
		{"finding escalations", func(ctx context.Context, _ time.Time) (int, error) { return n.Escalations(ctx) }},
		{"risk exceptions", func(ctx context.Context, _ time.Time) (int, error) { return n.Exceptions(ctx) }},
		{"work orders", n.WorkOrders},
	}
	_, extra := serviceLevels()
	for i, r := range extra {
		steps = append(steps, struct {
			name string
			fn   func(context.Context, time.Time) (int, error)
		}{"router " + strconv.Itoa(i+1), func(ctx context.Context, since time.Time) (int, error) { return r(ctx, n, since) }})
	}
	for _, s := range steps {
		k, err := s.fn(ctx, since)
		total += k
		if err != nil {
			errs = append(errs, fmt.Errorf("route %s: %w", s.name, err))
		}
	}
	return total, errors.Join(errs...)
}

// Escalations routes the findings that newly call for faster work: their
// CVE entered KEV, or their SSVC decision became Immediate or
// Out-of-Cycle. One piece of work per advisory; a finding is escalated
// once per reason (and an Out-of-Cycle decision after an Immediate one is
// none), however often this runs.
func (n *Notifier) Escalations(ctx context.Context) (int, error) {
	v, err := Current(ctx, n.Store)
	if err != nil {
		return 0, err
	}
	pid := n.providerID(ctx, v.Agreement)
	es, err := n.Store.Escalations(ctx, pid)
	if err != nil {
		return 0, err
	}
	total := 0
	for len(es) > 0 {
		k := 1
		for k < len(es) && es[k].Advisory == es[0].Advisory {
			k++
		}
		group := es[:k]
		es = es[k:]
		created, err := n.route(ctx, v.Agreement, pid, escalationWork(group))
		if err != nil {
			return total, err
		}
		total += created
		if err := n.Store.MarkEscalationsRouted(ctx, group); err != nil {
			return total, err
		}
	}
	return total, nil
}

func escalationWork(group []store.Escalation) Work {
	h := fnv.New64a()
	count := map[string]int{}
	inScope := 0
	var assets []string
	for _, e := range group {
		fmt.Fprintf(h, "%d:%s;", e.FindingID, strings.Join(e.Reasons, ","))
		for _, r := range e.Reasons {
			count[r]++
		}
		if e.InScope {
			inScope++
		}
		if len(assets) < 5 {
			assets = append(assets, e.Asset)
		}
	}
	var why []string
	for _, x := range []struct{ reason, text string }{
		{"kev", "newly in CISA's Known Exploited Vulnerabilities catalog"},
		{"immediate", "now SSVC Immediate"},
		{"out_of_cycle", "now SSVC Out-of-Cycle"},
	} {
		if count[x.reason] > 0 {
			why = append(why, fmt.Sprintf("%d %s", count[x.reason], x.text))
		}
	}
	adv := group[0].Advisory
	body := fmt.Sprintf("%s. Devices: %s", strings.Join(why, "; "), strings.Join(assets, ", "))
	if len(group) > len(assets) {
		body += fmt.Sprintf(" and %d more", len(group)-len(assets))
	}
	body += fmt.Sprintf(". %d on devices in the service provider's scope.", inScope)
	return Work{
		Kind: WorkEscalation, Ref: fmt.Sprintf("esc:%s:%016x", adv, h.Sum64()),
		Title: fmt.Sprintf("%d %s of advisory %s escalated", len(group), plural(len(group), "finding", "findings"), adv),
		Body:  body, Link: "/findings?advisory=" + url.QueryEscape(adv),
		ProviderRelevant: inScope > 0,
	}
}

// Exceptions routes risk exceptions: a request (not yet approved) to the
// party accountable for risk exceptions; an approval, and an approved
// exception expiring within ExpiringWithin, to the informed parties. The
// provider hears of exceptions on devices or models it services.
func (n *Notifier) Exceptions(ctx context.Context) (int, error) {
	if !n.Store.HasTable(ctx, "risk_exceptions") {
		return 0, nil
	}
	v, err := Current(ctx, n.Store)
	if err != nil {
		return 0, err
	}
	pid := n.providerID(ctx, v.Agreement)
	all, err := n.Store.Exceptions(ctx, 0)
	if err != nil {
		return 0, err
	}
	theirs := map[int64]bool{}
	if pid != 0 {
		xs, err := n.Store.Exceptions(ctx, pid)
		if err != nil {
			return 0, err
		}
		for _, x := range xs {
			theirs[x.ID] = true
		}
	}
	now := n.Store.Now().UTC()
	total := 0
	for _, x := range all {
		if !x.RevokedAt.IsZero() || !x.Expiry.After(now) {
			continue
		}
		on := x.AssetTag
		if on == "" {
			on = strings.TrimSpace(x.Manufacturer + " " + x.Model)
		}
		id := "RX-" + strconv.FormatInt(x.ID, 10)
		base := Work{Kind: raci.WorkException, Link: "/exceptions", ProviderRelevant: theirs[x.ID]}
		var ws []Work
		if x.Approver == "" {
			w := base
			w.Ref, w.Audience = id+"-requested", AudienceAccountable
			w.Title = fmt.Sprintf("Risk exception %s requested for %s (%s)", id, on, x.Decision)
			w.Body = fmt.Sprintf("Requested by %s: %s Until %s; awaiting approval.", x.Requester, sentence(x.Reason), x.Expiry.Format("2006-01-02"))
			ws = append(ws, w)
		} else {
			w := base
			w.Ref, w.Audience = id+"-approved", AudienceInformed
			w.Title = fmt.Sprintf("Risk exception %s approved for %s (%s)", id, on, x.Decision)
			w.Body = fmt.Sprintf("Approved by %s until %s. Compensating controls: %s.", x.Approver, x.Expiry.Format("2006-01-02"), orNone(x.Controls))
			ws = append(ws, w)
			if x.Expiry.Sub(now) <= ExpiringWithin {
				w := base
				w.Ref, w.Audience = id+"-expiring-"+x.Expiry.Format("2006-01-02"), AudienceInformed
				w.Title = fmt.Sprintf("Risk exception %s for %s expires on %s", id, on, x.Expiry.Format("2006-01-02"))
				w.Body = fmt.Sprintf("Renew it, or finish the remediation, before %s.", x.Expiry.Format("2006-01-02"))
				ws = append(ws, w)
			}
		}
		for _, w := range ws {
			k, err := n.route(ctx, v.Agreement, pid, w)
			if err != nil {
				return total, err
			}
			total += k
		}
	}
	return total, nil
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, "; ")
}

// WorkOrders routes each open corrective work order (a device-down event)
// on a critical device that was stored or updated at or after since, to
// the party accountable for maintenance and the informed parties. What is
// corrective and what is critical come from the service levels (the SLA
// policy's tiering); without them (internal/agreement/levels not linked
// in) no work order is routed.
func (n *Notifier) WorkOrders(ctx context.Context, since time.Time) (int, error) {
	lv, _ := serviceLevels()
	if lv == nil || !n.Store.HasTable(ctx, "work_orders") {
		return 0, nil
	}
	v, err := Current(ctx, n.Store)
	if err != nil {
		return 0, err
	}
	pid := n.providerID(ctx, v.Agreement)
	wos, err := n.Store.OpenWorkOrdersSince(ctx, since.UTC().Format(store.TimeFormat), pid)
	if err != nil || len(wos) == 0 {
		return 0, err
	}
	ok, why, err := lv.CriticalCorrective(ctx, n.Store, wos)
	if err != nil {
		return 0, err
	}
	total := 0
	for i, w := range wos {
		if !ok[i] {
			continue
		}
		kind := strings.TrimSpace(w.Type)
		if kind == "" {
			kind = "corrective"
		}
		where := strings.Trim(strings.Join([]string{w.Modality, w.Facility}, ", "), ", ")
		work := Work{
			Kind: raci.WorkOrder, Ref: "WO:" + w.Key,
			Title:            fmt.Sprintf("Work order %s (%s) on critical device %s", w.Key, kind, w.Asset),
			Body:             strings.TrimSpace(fmt.Sprintf("%s. Opened %s, priority %s. Device tier: %s.", where, w.Opened[:min(16, len(w.Opened))], orDash(w.Priority), why[i])),
			Link:             "/workorders/" + strconv.FormatInt(w.ID, 10),
			ProviderRelevant: w.InScope,
		}
		k, err := n.route(ctx, v.Agreement, pid, work)
		if err != nil {
			return total, err
		}
		total += k
	}
	return total, nil
}

// RunRouting runs RouteAll every interval until ctx ends (medsec serve),
// each time over the findings and work orders since the previous run (an
// hour of overlap; the first run looks back a day), logging what it did.
func RunRouting(ctx context.Context, st *store.Store, interval time.Duration, log *slog.Logger) {
	n := NewNotifier(st)
	last := st.Now().Add(-24 * time.Hour)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		start := st.Now()
		k, err := n.RouteAll(ctx, last.Add(-time.Hour))
		switch {
		case err != nil && ctx.Err() == nil && log != nil:
			log.Error("routing", "err", err, "notifications", k)
		case err == nil:
			last = start
			if k > 0 && log != nil {
				log.Info("routing", "notifications", k)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RouteFindings routes only what a match run can create: new findings and
// escalated ones. The match command calls it; the other kinds of work wait
// for the server's periodic RouteAll, so a match on a large inventory does
// not also re-evaluate every SLA clock.
func RouteFindings(ctx context.Context, st *store.Store, since time.Time) (int, error) {
	n := NewNotifier(st)
	a, err := n.NewFindings(ctx, since)
	if err != nil {
		return a, fmt.Errorf("route new findings: %w", err)
	}
	b, err := n.Escalations(ctx)
	if err != nil {
		return a + b, fmt.Errorf("route finding escalations: %w", err)
	}
	return a + b, nil
}
