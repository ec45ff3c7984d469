package cli_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/testdb"
)

// Real ICSMA advisories against a CMMS that holds the devices they name.
func TestCLI_AdvisoriesMatchFindings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		cmms := "Equipment ID,Serial Number,Manufacturer,Model,Device Type,Facility,Department,Software Version\n" +
			"BM-1,S1,CareFusion,Alaris PC Unit,INFUSION PUMP,Main,ICU,9.19\n" + // <= 9.33 in ICSMA-17-017-02: certain
			"BM-2,S2,CareFusion,Alaris PC Unit,INFUSION PUMP,Main,ICU,\n" + // firmware unknown: needs review
			"BM-3,S3,Stryker,Not A Real Model,Bed,Main,ICU,1.0\n" // nothing
		if code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "c.csv", []byte(cmms))); code != 0 {
			t.Fatalf("import: %s %s", out, stderr)
		}
		bad := write(t, "broken.json", []byte(`{"document":{"category":"csaf_security_advisory","csaf_version":"2.0"}}`))
		code, out, stderr := run(t, "", "advisories", "import", "../advisorydata/icsma", bad, "--db", dsn)
		if code != 0 || !strings.Contains(out, "loaded 108 advisories: 108 new") || !strings.Contains(stderr, "broken.json: invalid CSAF at /document") {
			t.Fatalf("advisories import: %d\n%s\n%s", code, out, stderr)
		}
		if code, out, stderr = run(t, "", "match", "--db", dsn); code != 0 || !strings.Contains(out, "matched 108 advisories") {
			t.Fatalf("match: %d %s %s", code, out, stderr)
		}
		code, out, _ = run(t, "", "findings", "--db", dsn, "--cve", "CVE-2016-9355")
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 {
			t.Fatalf("findings json: %v\n%s", err, out)
		}
		certain := map[string]bool{}
		for _, r := range rows {
			for _, k := range []string{"asset_id", "cve", "advisory_id", "status", "match_confidence", "version_certain", "evidence"} {
				if _, ok := r[k]; !ok {
					t.Errorf("finding lacks %q: %v", k, r)
				}
			}
			certain[r["asset_tag"].(string)] = r["version_certain"].(bool)
		}
		if len(certain) != 2 || !certain["BM-1"] || certain["BM-2"] {
			t.Errorf("CVE-2016-9355 findings by asset (version certain) = %v; want BM-1 certain, BM-2 needs review, BM-3 none", certain)
		}
		code, out, _ = run(t, "", "findings", "--db", dsn, "--format", "csv", "--asset", "3")
		if code != 0 || strings.Count(strings.TrimSpace(out), "\n") != 0 {
			t.Errorf("BM-3 should have no findings:\n%s", out)
		}

		// A person marks BM-2's finding a false positive; the decision
		// survives a re-import and a re-match, and the VEX says so.
		var id string
		for _, r := range rows {
			if r["asset_tag"] == "BM-2" {
				id = strconv.FormatFloat(r["id"].(float64), 'f', 0, 64)
			}
		}
		if code, _, stderr := run(t, "", "findings", "set", id, "--status", "false_positive", "--db", dsn); code == 0 || !strings.Contains(stderr, "needs a reason") {
			t.Errorf("false positive without a reason: %d %s", code, stderr)
		}
		if code, _, stderr := run(t, "", "findings", "set", id, "--status", "gone", "--db", dsn); code == 0 || !strings.Contains(stderr, "valid statuses are open, in_triage") {
			t.Errorf("unknown status: %d %s", code, stderr)
		}
		if code, out, stderr := run(t, "", "findings", "set", id, "--status", "false_positive", "--reason", "pump runs 9.41 per site visit", "--db", dsn); code != 0 || !strings.Contains(out, "is now false positive") {
			t.Fatalf("findings set: %d %s %s", code, out, stderr)
		}
		run(t, "", "advisories", "import", "../advisorydata/icsma", "--db", dsn)
		run(t, "", "match", "--db", dsn)
		code, out, _ = run(t, "", "findings", "--db", dsn, "--cve", "CVE-2016-9355", "--status", "false_positive")
		if code != 0 || !strings.Contains(out, `"asset_tag": "BM-2"`) || !strings.Contains(out, "pump runs 9.41") {
			t.Errorf("decision lost after re-match:\n%s", out)
		}
		if code, _, stderr := run(t, "", "findings", "--db", dsn, "--epss-min", "2"); code == 0 || !strings.Contains(stderr, "between 0 and 1") {
			t.Errorf("epss-min 2: %d %s", code, stderr)
		}
		code, out, stderr = run(t, "", "vex", "--model", "1", "--db", dsn)
		if code != 0 || !strings.Contains(out, `"@context": "https://openvex.dev/ns/v0.2.0"`) || !strings.Contains(out, `"name": "CVE-2016-9355"`) {
			t.Errorf("vex: %d %s %s", code, out, stderr)
		}
	})
}
