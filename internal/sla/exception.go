package sla

import (
	"fmt"
	"time"
)

// Decision is what a risk exception decides about a finding.
type Decision string

const (
	DecisionAccept   Decision = "accept"
	DecisionReduce   Decision = "reduce"
	DecisionAvoid    Decision = "avoid"
	DecisionTransfer Decision = "transfer"
)

// RiskException is a time-limited acceptance of risk on a legacy device
// (end of support / end of life). While it is in force the patch-deployment
// SLA of the event it is attached to is suspended; at Expiry (or at
// Revoked, if earlier) the clock restarts where it stopped.
type RiskException struct {
	ID        string    `json:"id"`
	Decision  Decision  `json:"decision"`
	Controls  []string  `json:"controls"` // compensating controls: segmentation, NAC, …
	Requester string    `json:"requester"`
	Approver  string    `json:"approver"`
	Approved  time.Time `json:"approved"` // suspension starts here
	Expiry    time.Time `json:"expiry"`
	Revoked   time.Time `json:"revoked,omitzero"`
}

// Validate checks the rules a risk exception must satisfy before it may
// suspend anything: a known decision, an approver who is not the
// requester, an approval time and an expiry after it.
func (e RiskException) Validate() error {
	switch e.Decision {
	case DecisionAccept, DecisionReduce, DecisionAvoid, DecisionTransfer:
	default:
		return fmt.Errorf("risk exception %s: decision %q is not accept, reduce, avoid or transfer", e.ID, e.Decision)
	}
	if e.Approver == "" {
		return fmt.Errorf("risk exception %s is not approved", e.ID)
	}
	if e.Approver == e.Requester {
		return fmt.Errorf("risk exception %s: approver %q is also the requester; a second person must approve", e.ID, e.Approver)
	}
	if e.Approved.IsZero() || e.Expiry.IsZero() {
		return fmt.Errorf("risk exception %s needs both an approval time and an expiry", e.ID)
	}
	if !e.Expiry.After(e.Approved) {
		return fmt.Errorf("risk exception %s expires (%s) before it is approved (%s)", e.ID, e.Expiry.Format(time.RFC3339), e.Approved.Format(time.RFC3339))
	}
	return nil
}

// End is when the exception stops suspending the SLA: the expiry, or the
// revocation if that came first.
func (e RiskException) End() time.Time {
	if !e.Revoked.IsZero() && e.Revoked.Before(e.Expiry) {
		return e.Revoked
	}
	return e.Expiry
}

// AsPause turns a valid exception into the pause it causes.
func (e RiskException) AsPause() Pause {
	how := "expires"
	if !e.End().Equal(e.Expiry) {
		how = "revoked"
	}
	return Pause{
		Reason: PauseRiskException,
		Note:   fmt.Sprintf("%s (%s), %s %s", e.ID, e.Decision, how, e.End().Format(time.RFC3339)),
		From:   e.Approved,
		To:     e.End(),
	}
}
