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

// Work is one piece of work to route through the RACI.
type Work struct {
	Kind  raci.WorkKind
	Ref   string // identifies the work; the same (kind, ref) is notified once per party
	Title string
	Body  string
	Link  string
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
	rt, err := a.RACI.Route(w.Kind)
	if err != nil {
		return 0, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	type target struct {
		p      raci.Party
		reason string
	}
	targets := []target{{rt.Accountable, "accountable"}}
	for _, p := range rt.Informed {
		if p.ID != rt.Accountable.ID {
			targets = append(targets, target{p, "informed"})
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
		if t.reason == "accountable" {
			note.Body = strings.TrimSpace(fmt.Sprintf("In the queue of %s (accountable for %s). %s", t.p.Name, rt.Activity.Name, w.Body))
		} else {
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
// (typically the start of a vuln.MatchAll run): one piece of work per
// advisory, to the party accountable for vulnerability triage, and to the
// informed parties. The provider hears only of advisories touching its
// scope. It returns how many notifications were new.
func NotifyNewFindings(ctx context.Context, st *store.Store, since time.Time) (int, error) {
	return NewNotifier(st).NewFindings(ctx, since)
}

// NewFindings is NotifyNewFindings with this notifier's mailer.
func (n *Notifier) NewFindings(ctx context.Context, since time.Time) (int, error) {
	v, err := Current(ctx, n.Store)
	if err != nil {
		return 0, err
	}
	pid := n.providerID(ctx, v.Agreement)
	groups, err := n.Store.NewFindingGroups(ctx, since.UTC().Format(store.TimeFormat), pid)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, g := range groups {
		word := "findings"
		if g.Findings == 1 {
			word = "finding"
		}
		w := Work{
			Kind: raci.WorkFinding, Ref: g.Advisory + "@" + since.UTC().Format(store.TimeFormat),
			Title:            fmt.Sprintf("%d new %s from advisory %s", g.Findings, word, g.Advisory),
			Body:             fmt.Sprintf("%d of them on devices in the service provider's scope.", g.InScope),
			Link:             "/findings?advisory=" + url.QueryEscape(g.Advisory),
			ProviderRelevant: g.InScope > 0,
		}
		k, err := n.route(ctx, v.Agreement, pid, w)
		if err != nil {
			return total, err
		}
		total += k
	}
	return total, nil
}
