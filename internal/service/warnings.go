package service

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/sla"
	"github.com/medsec/medsec/internal/store"
)

// WarningLookback is how far back CheckWarnings looks for clocks that
// breached and have since stopped (an order completed late): older
// breaches are history, not warnings.
const WarningLookback = 7 * 24 * time.Hour

// Warning is one SLA clock at risk or breached, as routed.
type Warning struct {
	EventID   string        `json:"event_id"`
	Milestone sla.Milestone `json:"milestone"`
	State     sla.State     `json:"state"`
	Ref       string        `json:"ref"`
	Title     string        `json:"title"`
	New       int           `json:"new_notifications"`
}

// WarningRef is the work key of a warning: one per event, milestone and
// state, so an at-risk clock is announced once and its breach once more.
func WarningRef(eventID string, m sla.Milestone, s sla.State) string {
	return "sla:" + eventID + ":" + string(m) + ":" + string(s)
}

// CheckWarnings evaluates every SLA clock still running (or breached in
// the last WarningLookback) at now and routes each one at or past its
// at-risk threshold, or breached, through the agreement's RACI as an SLA
// warning (raci.WorkSLAWarning). Routing de-duplicates on the work key, so
// the server may call it as often as it likes: each event's milestone is
// announced once when at risk and once when breached. It returns the
// warnings found, with how many notifications each created.
func CheckWarnings(ctx context.Context, st *store.Store, now time.Time) ([]Warning, error) {
	return RouteWarnings(ctx, agreement.NewNotifier(st), now.Add(-WarningLookback), now)
}

// RouteWarnings is CheckWarnings with a given notifier and look-back
// start (an agreement.Router can call it).
func RouteWarnings(ctx context.Context, n *agreement.Notifier, since, now time.Time) ([]Warning, error) {
	st := n.Store
	ev, err := LoadEvents(ctx, st, 0, Selection{ActiveSince: since})
	if err != nil {
		return nil, err
	}
	res, meta := ev.Evaluate(time.Time{}, time.Time{}, now)
	provs, err := st.ProviderScopes(ctx)
	if err != nil {
		return nil, err
	}
	parties := map[int64]bool{}
	for _, p := range provs {
		parties[p.PartyID] = true
	}
	relevant := map[int64]bool{}
	providerRelevant := func(assetID int64) bool {
		if v, ok := relevant[assetID]; ok {
			return v
		}
		for pid := range parties {
			if _, err := st.FindAsset(ctx, assetID, pid); err == nil {
				relevant[assetID] = true
				return true
			}
		}
		relevant[assetID] = false
		return false
	}
	out := []Warning{}
	// PM completion runs to thousands of tasks in a large hospital; its
	// warnings go out as one digest per state, day and audience instead of
	// one notification per task. The other event types are announced one
	// by one: each is somebody's urgent work.
	type digestKey struct {
		state    sla.State
		provider bool
	}
	digest := map[digestKey][]string{}
	for i, r := range res {
		for _, cl := range r.Clocks {
			warn := false
			switch cl.State {
			case sla.StateAtRisk:
				warn = !cl.Stopped
			case sla.StateBreached:
				warn = !cl.Stopped || !cl.BreachedAt.Before(since)
			}
			if !warn {
				continue
			}
			m := meta[i]
			w := Warning{EventID: r.EventID, Milestone: cl.Milestone, State: cl.State, Ref: WarningRef(r.EventID, cl.Milestone, cl.State)}
			what := "at risk"
			if cl.State == sla.StateBreached {
				what = "breached"
			}
			w.Title = fmt.Sprintf("SLA %s: %s %s %s on %s (%s tier)", what, label(r.EventType), r.EventID, cl.Milestone, r.AssetKey, r.Tier)
			link := "/sla/events/" + url.PathEscape(r.EventID)
			if m.WorkOrderID != 0 {
				link = "/workorders/" + strconv.FormatInt(m.WorkOrderID, 10)
			}
			if r.EventType == sla.EventPMCompletion {
				dk := digestKey{cl.State, providerRelevant(m.AssetID)}
				digest[dk] = append(digest[dk], w.Title)
				out = append(out, w)
				continue
			}
			k, err := n.Route(ctx, agreement.Work{Kind: raci.WorkSLAWarning, Ref: w.Ref, Title: w.Title, Body: cl.Explain(), Link: link,
				ProviderRelevant: providerRelevant(m.AssetID)})
			if err != nil {
				return out, err
			}
			w.New = k
			out = append(out, w)
		}
	}
	for dk, titles := range digest {
		sort.Strings(titles)
		what := "at risk"
		if dk.state == sla.StateBreached {
			what = "breached"
		}
		day := now.Format("2006-01-02")
		body := strings.Join(titles[:min(len(titles), 50)], "\n")
		if len(titles) > 50 {
			body += fmt.Sprintf("\n… and %d more (see the SLA page)", len(titles)-50)
		}
		scope := "hospital"
		if dk.provider {
			scope = "provider"
		}
		d := Warning{EventID: "pm-digest", Milestone: sla.MilestoneResolve, State: dk.state, Ref: "pm-digest|" + string(dk.state) + "|" + scope + "|" + day,
			Title: fmt.Sprintf("SLA %s: %d PM completion clocks on %s", what, len(titles), day)}
		k, err := n.Route(ctx, agreement.Work{Kind: raci.WorkSLAWarning, Ref: d.Ref, Title: d.Title, Body: body, Link: "/sla", ProviderRelevant: dk.provider})
		if err != nil {
			return out, err
		}
		d.New = k
		out = append(out, d)
	}
	return out, nil
}

func label(e sla.EventType) string {
	switch e {
	case sla.EventDeviceDown:
		return "device down"
	case sla.EventSecurityIncident:
		return "security incident"
	case sla.EventVulnerabilityTriage:
		return "vulnerability triage"
	case sla.EventPatchDeployment:
		return "patch deployment"
	case sla.EventPMCompletion:
		return "PM completion"
	}
	return string(e)
}
