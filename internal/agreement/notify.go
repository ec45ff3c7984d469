package agreement

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/store"
)

// WorkEscalation is a finding that newly calls for faster work (its CVE
// entered KEV, or its SSVC decision became Immediate or Out-of-Cycle). It
// is routed like a finding unless the RACI maps it to an activity itself.
const WorkEscalation raci.WorkKind = "finding_escalation"

// Audiences of a piece of work.
const (
	AudienceAll         = ""            // the accountable party and the informed parties
	AudienceAccountable = "accountable" // only the accountable party (a request waiting on it)
	AudienceInformed    = "informed"    // only the informed parties (news, no action)
)

// Work is one piece of work to route through the RACI.
type Work struct {
	Kind raci.WorkKind
	// Ref identifies the work: the same (kind, ref) is notified once per
	// party and reason, however often it is routed, so callers that run
	// periodically (SLA warnings, RouteAll) can route the same work again
	// harmlessly. Route refuses an empty Ref.
	Ref   string
	Title string
	Body  string
	Link  string
	// Audience narrows who hears of it (AudienceAll by default).
	Audience string
	// ProviderRelevant says whether the provider party may see it (false
	// for work on devices outside its scope).
	ProviderRelevant bool
}

// Notifier routes work to the accountable party's queue and tells the
// informed parties, in the app and by e-mail when a Mailer is set.
type Notifier struct {
	Store  *store.Store
	Mailer *Mailer // nil: no e-mail
	Actor  medsec.Actor
}

// NewNotifier returns a notifier mailing through MEDSEC_SMTP_ADDR and
// MEDSEC_SMTP_FROM when they are set.
func NewNotifier(st *store.Store) *Notifier {
	return &Notifier{Store: st, Mailer: MailerFromEnv(os.Getenv), Actor: medsec.System}
}

// Route notifies w's accountable party (reason "accountable") and its
// informed parties (reason "informed") under the current agreement. It
// returns how many notifications were new.
func (n *Notifier) Route(ctx context.Context, w Work) (int, error) {
	v, err := Current(ctx, n.Store)
	if err != nil {
		return 0, err
	}
	return n.route(ctx, v.Agreement, n.providerID(ctx, v.Agreement), w)
}

func (n *Notifier) providerID(ctx context.Context, a Agreement) int64 {
	if p, err := n.Store.PartyByName(ctx, a.Provider); err == nil {
		return p.ID
	}
	return 0
}

func (n *Notifier) route(ctx context.Context, a Agreement, providerID int64, w Work) (int, error) {
	if strings.TrimSpace(w.Ref) == "" {
		return 0, medsec.Errorf(medsec.EINVALID, "Work to route needs a reference (Ref) that identifies it.")
	}
	kind := w.Kind
	if _, mapped := a.RACI.Routes[kind]; kind == WorkEscalation && !mapped {
		kind = raci.WorkFinding
	}
	rt, err := a.RACI.Route(kind)
	if err != nil {
		return 0, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	type target struct {
		p      raci.Party
		reason string
	}
	var targets []target
	seen := map[string]bool{}
	add := func(p raci.Party, reason string) {
		if !seen[p.ID+"/"+reason] {
			seen[p.ID+"/"+reason] = true
			targets = append(targets, target{p, reason})
		}
	}
	if w.Audience != AudienceInformed {
		acc := rt.Accountable
		// Work outside the provider's scope is not the provider's: when
		// the provider is accountable, the hospital's HTM (the in-house
		// service) takes it, so that it never goes to nobody.
		if c := a.contact(acc.ID); c.Role == string(medsec.RoleProvider) && (!w.ProviderRelevant || providerID == 0) {
			if htm, ok := a.partyWithRole(medsec.RoleHTM); ok {
				acc = htm
			}
		}
		add(acc, "accountable")
	}
	if w.Audience != AudienceAccountable {
		informed := rt.Informed
		// News with no Informed party in the RACI goes to those who do
		// and advise on the work, rather than to no one.
		if len(informed) == 0 && w.Audience == AudienceInformed {
			informed = append(append([]raci.Party(nil), rt.Responsible...), rt.Consulted...)
		}
		for _, p := range informed {
			if p.ID != rt.Accountable.ID || w.Audience == AudienceInformed {
				add(p, "informed")
			}
		}
	}
	created := 0
	for _, t := range targets {
		c := a.contact(t.p.ID)
		if c.Role == string(medsec.RoleProvider) && (!w.ProviderRelevant || providerID == 0) {
			continue
		}
		note := &store.Notification{
			Kind: string(w.Kind), Ref: w.Ref, Party: t.p.ID, Reason: t.reason, Role: c.Role,
			Title: w.Title, Body: w.Body, Link: w.Link, EmailTo: c.Email,
		}
		if c.Role == string(medsec.RoleProvider) {
			note.ScopePartyID = providerID
		}
		switch {
		case t.reason == "accountable" && t.p.ID != rt.Accountable.ID:
			note.Body = strings.TrimSpace(fmt.Sprintf("In the queue of %s: %s is accountable for %s, but this is outside its scope. %s", t.p.Name, rt.Accountable.Name, rt.Activity.Name, w.Body))
		case t.reason == "accountable":
			note.Body = strings.TrimSpace(fmt.Sprintf("In the queue of %s (accountable for %s). %s", t.p.Name, rt.Activity.Name, w.Body))
		default:
			note.Body = strings.TrimSpace(fmt.Sprintf("For the information of %s (%s). %s", t.p.Name, rt.Activity.Name, w.Body))
		}
		isNew, err := n.Store.AddNotification(ctx, n.Actor, note)
		if err != nil {
			return created, err
		}
		if !isNew {
			continue
		}
		created++
		if n.Mailer != nil && c.Email != "" {
			sendErr := n.Mailer.Send([]string{c.Email}, "[medsec] "+w.Title, note.Body+"\n\n"+w.Link+"\n")
			if err := n.Store.SetNotificationEmail(ctx, note.ID, sendErr); err != nil {
				return created, err
			}
		}
	}
	return created, nil
}

// NotifyNewFindings routes the findings first seen at or after since
// (typically the start of a vuln.MatchAll run) that were not routed yet:
// one piece of work per advisory, to the party accountable for
// vulnerability triage, and to the informed parties. The provider hears
// only of advisories touching its scope. It returns how many
// notifications were new.
func NotifyNewFindings(ctx context.Context, st *store.Store, since time.Time) (int, error) {
	return NewNotifier(st).NewFindings(ctx, since)
}

// NewFindings is NotifyNewFindings with this notifier's mailer. Each
// finding is routed once (finding_routes), however often it runs and
// however the since windows overlap.
func (n *Notifier) NewFindings(ctx context.Context, since time.Time) (int, error) {
	v, err := Current(ctx, n.Store)
	if err != nil {
		return 0, err
	}
	pid := n.providerID(ctx, v.Agreement)
	at := since.UTC().Format(store.TimeFormat)
	groups, err := n.Store.NewFindingGroups(ctx, at, pid)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, g := range groups {
		body := fmt.Sprintf("%d of them on devices in the service provider's scope.", g.InScope)
		if g.KEV > 0 {
			body += fmt.Sprintf(" %d in CISA's Known Exploited Vulnerabilities catalog.", g.KEV)
		}
		if g.Immediate+g.OutOfCycle > 0 {
			body += fmt.Sprintf(" SSVC: %d Immediate, %d Out-of-Cycle.", g.Immediate, g.OutOfCycle)
		}
		w := Work{
			Kind: raci.WorkFinding, Ref: fmt.Sprintf("new:%s:%d-%d", g.Advisory, g.MinID, g.MaxID),
			Title:            fmt.Sprintf("%d new %s from advisory %s", g.Findings, plural(g.Findings, "finding", "findings"), g.Advisory),
			Body:             body,
			Link:             "/findings?advisory=" + url.QueryEscape(g.Advisory),
			ProviderRelevant: g.InScope > 0,
		}
		k, err := n.route(ctx, v.Agreement, pid, w)
		if err != nil {
			return total, err
		}
		total += k
		if err := n.Store.MarkNewFindingsRouted(ctx, at, g); err != nil {
			return total, err
		}
	}
	return total, nil
}

func plural(k int, one, many string) string {
	if k == 1 {
		return one
	}
	return many
}
