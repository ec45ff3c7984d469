package mds2

import (
	"fmt"
	"strings"
)

// rule derives one capability: the state is yes if any source question is
// answered Yes, no if none is Yes and at least one is No (or a gate question
// is No), unknown otherwise (N/A, See Note, blank or missing).
type rule struct {
	gate    string // optional: a No here makes the capability "no"
	gateWhy string
	sources []string
	meaning string
}

var rules2019 = map[string]rule{
	"CustomerInstallablePatches": {gate: "CSUP-1", gateWhy: "no software/firmware that needs security updates",
		sources: []string{"CSUP-2.1", "CSUP-3.1", "CSUP-4.1", "CSUP-5.1", "CSUP-6.1"},
		meaning: "documentation provides instructions for owner/operator installation of patches or software updates"},
	"AntiMalware":         {sources: []string{"MLDP-2", "MLDP-2.1", "MLDP-2.2"}, meaning: "supports anti-malware software or mechanism"},
	"EncryptionAtRest":    {sources: []string{"STCF-1"}, meaning: "can encrypt data at rest"},
	"EncryptionInTransit": {sources: []string{"TXCF-2", "TXCF-2.1"}, meaning: "personally identifiable information encrypted (or configurable to be) before transmission"},
	"AuditLogging":        {sources: []string{"AUDT-1", "AUDT-2"}, meaning: "creates audit logs / records events in an audit log"},
	"RemoteService":       {sources: []string{"RMOT-1", "RMOT-2"}, meaning: "permits remote service connections"},
	"Authentication":      {sources: []string{"PAUT-1", "AUTH-1"}, meaning: "unique user IDs/passwords or login required"},
}

var rules2013 = map[string]rule{
	"CustomerInstallablePatches": {sources: []string{"5-1"}, meaning: "relevant OS and device security patches can be applied as they become available"},
	"AntiMalware":                {sources: []string{"10-1"}, meaning: "supports anti-malware software or mechanism"},
	"EncryptionAtRest":           {sources: []string{"17-1"}, meaning: "can encrypt data at rest"},
	"EncryptionInTransit":        {sources: []string{"18-2"}, meaning: "private data encrypted prior to transmission"},
	"AuditLogging":               {sources: []string{"2-1"}, meaning: "can create an audit trail"},
	"RemoteService":              {sources: []string{"20-1"}, meaning: "can be serviced remotely"},
	"Authentication":             {sources: []string{"12-1", "3-1"}, meaning: "user-specific usernames/passwords or login required"},
}

func deriveCapabilities(f *Form) Capabilities {
	rules := rules2019
	if f.Layout == LayoutHN2013 {
		rules = rules2013
	}
	get := func(name string) Capability { return applyRule(f, rules[name]) }
	return Capabilities{
		CustomerInstallablePatches: get("CustomerInstallablePatches"),
		AntiMalware:                get("AntiMalware"),
		EncryptionAtRest:           get("EncryptionAtRest"),
		EncryptionInTransit:        get("EncryptionInTransit"),
		AuditLogging:               get("AuditLogging"),
		RemoteService:              get("RemoteService"),
		Authentication:             get("Authentication"),
	}
}

func applyRule(f *Form, r rule) Capability {
	c := Capability{State: TriUnknown}
	var yes, no, other []string
	for _, id := range r.sources {
		a := f.Answer(id)
		if a == nil || a.Answer == Blank {
			continue
		}
		c.From = append(c.From, id)
		desc := fmt.Sprintf("%s=%s", id, display(a))
		switch a.Answer {
		case Yes:
			yes = append(yes, desc)
		case No:
			no = append(no, desc)
		default:
			other = append(other, desc)
		}
	}
	switch {
	case len(yes) > 0:
		c.State = TriYes
		c.Explanation = fmt.Sprintf("yes: %s (%s)", strings.Join(yes, ", "), r.meaning)
	case r.gate != "" && f.Answer(r.gate) != nil && f.Answer(r.gate).Answer == No:
		c.State = TriNo
		c.From = append([]string{r.gate}, c.From...)
		c.Explanation = fmt.Sprintf("no: %s=No (%s)", r.gate, r.gateWhy)
	case len(no) > 0:
		c.State = TriNo
		c.Explanation = fmt.Sprintf("no: %s (%s)", strings.Join(append(no, other...), ", "), r.meaning)
	case len(other) > 0:
		c.Explanation = fmt.Sprintf("unknown: %s (%s)", strings.Join(other, ", "), r.meaning)
	default:
		c.Explanation = fmt.Sprintf("unknown: %s not answered", strings.Join(r.sources, "/"))
	}
	return c
}

func display(a *Answer) string {
	if a.Answer == Other {
		return fmt.Sprintf("%q", a.Raw)
	}
	if a.Answer == SeeNote && a.Note != "" {
		n := a.Note
		if r := []rune(n); len(r) > 80 {
			n = string(r[:80]) + "…"
		}
		return fmt.Sprintf("SeeNote %q", n)
	}
	return string(a.Answer)
}
