package medsec

import (
	"strings"
	"time"
)

// FindingStatus is where a finding (asset × vulnerability) is in its life.
type FindingStatus string

const (
	FindingOpen          FindingStatus = "open"
	FindingTriage        FindingStatus = "in_triage"
	FindingAwaitingMfr   FindingStatus = "awaiting_manufacturer" // no validated fix yet
	FindingFixValidated  FindingStatus = "fix_validated"         // the manufacturer validated a fix (dated)
	FindingScheduled     FindingStatus = "scheduled"
	FindingRemediated    FindingStatus = "remediated"
	FindingMitigated     FindingStatus = "mitigated"     // names the compensating control
	FindingRiskAccepted  FindingStatus = "risk_accepted" // approver and expiry
	FindingFalsePositive FindingStatus = "false_positive"
)

// FindingStatuses lists every status in the order of a finding's life.
var FindingStatuses = []FindingStatus{FindingOpen, FindingTriage, FindingAwaitingMfr, FindingFixValidated,
	FindingScheduled, FindingRemediated, FindingMitigated, FindingRiskAccepted, FindingFalsePositive}

// Label is the status as people read it.
func (s FindingStatus) Label() string {
	switch s {
	case FindingTriage:
		return "in triage"
	case FindingAwaitingMfr:
		return "awaiting manufacturer"
	case FindingFixValidated:
		return "fix validated by manufacturer"
	case FindingRiskAccepted:
		return "risk accepted"
	case FindingFalsePositive:
		return "false positive"
	}
	return string(s)
}

// Closed reports whether the finding no longer asks anyone for work.
func (s FindingStatus) Closed() bool {
	return s == FindingRemediated || s == FindingFalsePositive || s == FindingMitigated || s == FindingRiskAccepted
}

// ParseFindingStatus accepts a status by key or label, in any case.
func ParseFindingStatus(v string) (FindingStatus, error) {
	k := strings.ToLower(strings.TrimSpace(v))
	for _, s := range FindingStatuses {
		if k == string(s) || k == s.Label() || strings.ReplaceAll(k, " ", "_") == string(s) {
			return s, nil
		}
	}
	names := make([]string, len(FindingStatuses))
	for i, s := range FindingStatuses {
		names[i] = string(s)
	}
	return "", Errorf(EINVALID, "Unknown finding status %q; valid statuses are %s.", v, strings.Join(names, ", "))
}

// FindingTransition is a person's decision about a finding. The fields a
// status needs are checked by Validate.
type FindingTransition struct {
	To     FindingStatus `json:"status"`
	Reason string        `json:"reason"`
	// Confirm records that a person checked the match is real (it may come
	// with any status but false_positive).
	Confirm        bool   `json:"confirm,omitempty"`
	FixValidatedOn string `json:"fix_validated_on,omitempty"` // YYYY-MM-DD, for fix_validated
	ScheduledFor   string `json:"scheduled_for,omitempty"`    // YYYY-MM-DD, for scheduled
	Control        string `json:"control,omitempty"`          // for mitigated
	AcceptedBy     string `json:"accepted_by,omitempty"`      // approver, for risk_accepted
	AcceptedUntil  string `json:"accepted_until,omitempty"`   // YYYY-MM-DD expiry, for risk_accepted
}

// Validate checks that the transition carries what its status needs. now is
// used to refuse an acceptance that has already expired; actor to refuse
// someone approving their own risk acceptance.
func (t *FindingTransition) Validate(actor string, now time.Time) error {
	if _, err := ParseFindingStatus(string(t.To)); err != nil {
		return err
	}
	t.Reason = strings.TrimSpace(t.Reason)
	date := func(field, v string) error {
		if _, err := time.Parse("2006-01-02", strings.TrimSpace(v)); err != nil {
			return Errorf(EINVALID, "%s must be a date like 2026-12-31 (got %q).", field, v)
		}
		return nil
	}
	switch t.To {
	case FindingFalsePositive:
		if t.Reason == "" {
			return Errorf(EINVALID, "Marking a finding a false positive needs a reason, so the next reviewer knows why.")
		}
		if t.Confirm {
			return Errorf(EINVALID, "A finding cannot be confirmed and a false positive at once.")
		}
	case FindingFixValidated:
		if err := date("fix_validated_on", t.FixValidatedOn); err != nil {
			return err
		}
	case FindingScheduled:
		if err := date("scheduled_for", t.ScheduledFor); err != nil {
			return err
		}
	case FindingMitigated:
		if strings.TrimSpace(t.Control) == "" {
			return Errorf(EINVALID, "A mitigated finding must name the compensating control (for example \"VLAN 40 ACL blocks TCP/4000\").")
		}
	case FindingRiskAccepted:
		t.AcceptedBy = strings.TrimSpace(t.AcceptedBy)
		if t.AcceptedBy == "" {
			return Errorf(EINVALID, "A risk acceptance needs the approver's name.")
		}
		if strings.EqualFold(t.AcceptedBy, actor) {
			return Errorf(EINVALID, "The approver of a risk acceptance cannot be the person recording it (%s).", actor)
		}
		if err := date("accepted_until", t.AcceptedUntil); err != nil {
			return err
		}
		until, _ := time.Parse("2006-01-02", strings.TrimSpace(t.AcceptedUntil))
		if !until.After(now) {
			return Errorf(EINVALID, "A risk acceptance must expire in the future (accepted_until %s).", t.AcceptedUntil)
		}
		if t.Reason == "" {
			return Errorf(EINVALID, "A risk acceptance needs a reason.")
		}
	}
	return nil
}
