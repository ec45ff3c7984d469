package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCLI_SSVC(t *testing.T) {
	code, out, stderr := run(t, "", "ssvc", "--exploitation", "active", "--exposure", "open", "--automatable", "yes",
		"--safety", "critical", "--mission", "mef-failure")
	if code != 0 || !strings.Contains(out, "decision: Immediate") || !strings.Contains(out, "human impact: High") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = run(t, "", "ssvc", "--exploitation", "none", "--exposure", "small", "--automatable", "no",
		"--safety", "negligible", "--mission", "degraded", "--json")
	var got map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["decision"] != "Defer" || got["human_impact"] != "Low" || len(got) != 2 {
		t.Fatalf("json: exit %d %q", code, out)
	}
	code, out, _ = run(t, "", "ssvc", "--json", "--exploitation", "public-poc", "--exposure", "controlled", "--automatable", "yes",
		"--safety", "catastrophic", "--mission", "degraded")
	if code != 0 || !strings.Contains(out, `"decision":"Out-of-Cycle"`) || !strings.Contains(out, `"human_impact":"Very High"`) {
		t.Fatalf("json: exit %d %q", code, out)
	}
}

func TestCLI_SSVCRefusesUnknown(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--exploitation", "rumoured", "--exposure", "open", "--automatable", "yes", "--safety", "critical", "--mission", "degraded"},
			"valid values: none, public-poc, active"},
		{[]string{"--exploitation", "active", "--exposure", "wide", "--automatable", "yes", "--safety", "critical", "--mission", "degraded"},
			"valid values: small, controlled, open"},
		{[]string{"--exploitation", "active", "--exposure", "open", "--automatable", "maybe", "--safety", "critical", "--mission", "degraded"},
			"valid values: no, yes"},
		{[]string{"--exploitation", "active", "--exposure", "open", "--automatable", "yes", "--safety", "major", "--mission", "degraded"},
			"valid values: negligible, marginal, critical, catastrophic"},
		{[]string{"--exploitation", "active", "--exposure", "open", "--automatable", "yes", "--safety", "critical", "--mission", "none"},
			"valid values: degraded, mef-support-crippled, mef-failure, mission-failure"},
		{[]string{"--exploitation", "active", "--exposure", "open", "--automatable", "yes", "--safety", "critical"},
			"missing --mission (one of degraded, mef-support-crippled, mef-failure, mission-failure)"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", append([]string{"ssvc"}, tt.args...)...)
		if code != 1 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line containing %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestCLI_CVSS(t *testing.T) {
	code, out, stderr := run(t, "", "cvss", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
	if code != 0 || !strings.Contains(out, "base score: 9.8 (Critical)") {
		t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, _ = run(t, "", "cvss", "--json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U")
	var got map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("json: exit %d %q", code, out)
	}
	if got["version"] != "3.1" || got["base_score"] != 9.8 || got["base_severity"] != "Critical" || got["temporal_score"] != 7.8 {
		t.Errorf("json %v", got)
	}
	if _, ok := got["threat_score"]; ok {
		t.Errorf("v3 has a threat score: %v", got)
	}
	code, out, _ = run(t, "", "cvss", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", "--json")
	got = nil
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil || got["version"] != "4.0" || got["base_score"] != 9.3 || got["threat_score"] == nil {
		t.Errorf("v4 json: exit %d %q", code, out)
	}
	code, out, _ = run(t, "", "cvss", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/MAV:L")
	if code != 0 || !strings.Contains(out, "environmental score:") {
		t.Errorf("env: %q", out)
	}
}

func TestCLI_CVSSRefusesInvalid(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}, `metric AV has invalid value "X" (allowed: N, A, L, P)`},
		{[]string{"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"}, "metric SA is missing"},
		{[]string{"CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P"}, "unsupported version"},
		{nil, "missing CVSS vector"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, "", append([]string{"cvss"}, tt.args...)...)
		if code != 1 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want one line containing %q", tt.args, code, stderr, tt.want)
		}
	}
}
