package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PauseReason says why a clock stopped. Every pause must have one.
type PauseReason string

const (
	PauseAwaitingManufacturer  PauseReason = "awaiting_manufacturer_validation"
	PauseAwaitingParts         PauseReason = "awaiting_parts"
	PauseClinicallyUnavailable PauseReason = "device_clinically_unavailable"
	// PauseRiskException is produced from an approved RiskException; it
	// suspends only the patch-deployment SLA.
	PauseRiskException PauseReason = "risk_exception"
)

// Pause stops an event's clocks over [From, To). A zero To means the pause
// is still in force at the evaluation time.
type Pause struct {
	Reason PauseReason `json:"reason"`
	Note   string      `json:"note,omitempty"`
	From   time.Time   `json:"from"`
	To     time.Time   `json:"to,omitzero"`
}

// Span is a merged stretch of pauses: overlapping or touching pauses become
// one span carrying all their reasons.
type Span struct {
	From, To time.Time
	Reasons  []string // distinct, in order of first appearance
	Open     bool     // still paused at the evaluation time
}

// Reason joins the span's reasons for display.
func (s Span) Reason() string { return strings.Join(s.Reasons, " + ") }

// ValidatePause checks that a pause has a reason and a non-negative length.
func ValidatePause(p Pause) error {
	if p.Reason == "" {
		return fmt.Errorf("pause from %s has no reason; every pause must say why the clock stopped", p.From.Format(time.RFC3339))
	}
	if p.From.IsZero() {
		return fmt.Errorf("pause (%s) has no start", p.Reason)
	}
	if !p.To.IsZero() && p.To.Before(p.From) {
		return fmt.Errorf("pause (%s) ends %s before it starts %s", p.Reason, p.To.Format(time.RFC3339), p.From.Format(time.RFC3339))
	}
	return nil
}

// MergePauses sorts pauses and merges overlapping or touching ones. Open
// pauses (zero To) are taken to run until asOf; pauses starting after asOf
// are dropped. Invalid pauses are skipped; check them with ValidatePause.
func MergePauses(ps []Pause, asOf time.Time) []Span {
	var spans []Span
	for _, p := range ps {
		if ValidatePause(p) != nil || !p.From.Before(asOf) {
			continue
		}
		s := Span{From: p.From, To: p.To, Reasons: []string{reasonText(p)}}
		if s.To.IsZero() || s.To.After(asOf) {
			s.To, s.Open = asOf, p.To.IsZero() || p.To.After(asOf)
		}
		if s.To.After(s.From) {
			spans = append(spans, s)
		}
	}
	slices.SortFunc(spans, func(a, b Span) int { return a.From.Compare(b.From) })
	out := spans[:0]
	for _, s := range spans {
		if k := len(out) - 1; k >= 0 && !s.From.After(out[k].To) {
			if s.To.After(out[k].To) {
				out[k].To = s.To
				out[k].Open = s.Open
			} else if s.To.Equal(out[k].To) {
				out[k].Open = out[k].Open || s.Open
			}
			for _, r := range s.Reasons {
				if !slices.Contains(out[k].Reasons, r) {
					out[k].Reasons = append(out[k].Reasons, r)
				}
			}
			continue
		}
		out = append(out, s)
	}
	return out
}

func reasonText(p Pause) string {
	if p.Note == "" {
		return string(p.Reason)
	}
	return string(p.Reason) + ": " + p.Note
}
