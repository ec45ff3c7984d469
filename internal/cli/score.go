package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/cvss"
	"github.com/medsec/medsec/internal/ssvc"
)

// runSSVC prints the SSVC deployer decision for the given decision point
// values, and the Human Impact it used.
func runSSVC(ctx context.Context, env *Env, args []string) error {
	fs, _ := newFlags(env, "ssvc", "ssvc --exploitation none|public-poc|active --exposure small|controlled|open --automatable yes|no --safety negligible|marginal|critical|catastrophic --mission degraded|mef-support-crippled|mef-failure|mission-failure [--json]")
	e := fs.String("exploitation", "", "Exploitation: none, public-poc or active")
	x := fs.String("exposure", "", "System Exposure: small, controlled or open")
	a := fs.String("automatable", "", "Automatable: yes or no")
	si := fs.String("safety", "", "Safety Impact: negligible, marginal, critical or catastrophic")
	mi := fs.String("mission", "", "Mission Impact: degraded, mef-support-crippled, mef-failure or mission-failure")
	asJSON := fs.Bool("json", false, `print {"decision": ..., "human_impact": ...}`)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	var in ssvc.Inputs
	for _, f := range []struct {
		flag, val, valid string
		set              func(string) error
	}{
		{"exploitation", *e, "none, public-poc, active", func(s string) (err error) { in.Exploitation, err = ssvc.ParseExploitation(s); return }},
		{"exposure", *x, "small, controlled, open", func(s string) (err error) { in.Exposure, err = ssvc.ParseExposure(s); return }},
		{"automatable", *a, "yes, no", func(s string) (err error) { in.Automatable, err = ssvc.ParseAutomatable(s); return }},
		{"safety", *si, "negligible, marginal, critical, catastrophic", func(s string) (err error) { in.Safety, err = ssvc.ParseSafetyImpact(s); return }},
		{"mission", *mi, "degraded, mef-support-crippled, mef-failure, mission-failure", func(s string) (err error) { in.Mission, err = ssvc.ParseMissionImpact(s); return }},
	} {
		if strings.TrimSpace(f.val) == "" {
			return medsec.Errorf(medsec.EINVALID, "missing --%s (one of %s)", f.flag, f.valid)
		}
		if err := f.set(f.val); err != nil {
			return medsec.Errorf(medsec.EINVALID, "--%s: %s", f.flag, message(err))
		}
	}
	out, err := ssvc.Evaluate(in)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(struct {
			Decision    string `json:"decision"`
			HumanImpact string `json:"human_impact"`
		}{out.Decision.String(), out.HumanImpact.String()})
	}
	fmt.Fprintf(env.Stdout, "decision: %s\nhuman impact: %s (safety %s × mission %s)\n%s\n",
		out.Decision, out.HumanImpact, in.Safety.Token(), in.Mission.Token(), out.Explanation)
	return nil
}

// runCVSS scores a CVSS 3.0, 3.1 or 4.0 vector.
func runCVSS(ctx context.Context, env *Env, args []string) error {
	fs, _ := newFlags(env, "cvss", "cvss VECTOR [--json]")
	asJSON := fs.Bool("json", false, "print JSON: version, base_score, base_severity and, where present, temporal_score, threat_score, environmental_score")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 1, "CVSS vector, e.g. CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"); err != nil {
		return err
	}
	r, err := cvss.Parse(pos[0])
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "%s", err)
	}
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(r)
	}
	w := env.Stdout
	fmt.Fprintf(w, "CVSS %s %s\n", r.Version, r.Vector)
	fmt.Fprintf(w, "base score: %.1f (%s)\n", r.BaseScore, r.BaseSeverity)
	if r.Exploitability != nil {
		fmt.Fprintf(w, "exploitability: %.1f\n", *r.Exploitability)
	}
	if r.TemporalScore != nil {
		fmt.Fprintf(w, "temporal score: %.1f (%s)\n", *r.TemporalScore, r.TemporalSeverity)
	}
	if r.ThreatScore != nil {
		fmt.Fprintf(w, "threat score: %.1f (%s)\n", *r.ThreatScore, r.ThreatSeverity)
	}
	if r.EnvironmentalScore != nil {
		fmt.Fprintf(w, "environmental score: %.1f (%s)\n", *r.EnvironmentalScore, r.EnvironmentalSeverity)
	}
	if r.Nomenclature != "" {
		fmt.Fprintf(w, "nomenclature: %s\n", r.Nomenclature)
	}
	return nil
}
