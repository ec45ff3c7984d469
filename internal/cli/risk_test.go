package cli_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// assess set|support|controls validate their values, naming the valid
// ones, and rescore what they touched at once; score --full after that
// writes nothing.
func TestCLI_AssessSupportControls(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		csv := header + "BM-1,A1,CareFusion,Alaris PC Unit,INFUSION PUMP,Main Campus,ICU 4 West,Active\n" +
			"BM-2,A2,CareFusion,Alaris PC Unit,INFUSION PUMP,Main Campus,Med/Surg 5,Active\n"
		if code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "cmms.csv", []byte(csv))); code != 0 {
			t.Fatalf("import: %d %s %s", code, out, stderr)
		}
		if code, out, stderr := run(t, "", "score", "--db", dsn); code != 0 || !strings.Contains(out, "2 changed, 2 history rows") {
			t.Fatalf("score: %d %s %s", code, out, stderr)
		}
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		items, _, _ := st.FindAssets(context.Background(), medsec.AssetFilter{})
		model := strconv.FormatInt(items[0].ModelID, 10)
		for _, tt := range []struct {
			args []string
			want string
		}{
			{[]string{"support", "--model", model, "--status", "retired", "--reason", "x"}, "valid values: supported, end-of-support, legacy"},
			{[]string{"support", "--model", model, "--reason", "x"}, "missing --status (one of supported, end-of-support, legacy, unknown)"},
			{[]string{"support", "--model", model, "--status", "legacy"}, "reason"},
			{[]string{"controls", "--asset", "BM-1", "--segmented", "maybe", "--reason", "x"}, `--segmented must be yes or no, got "maybe"`},
			{[]string{"controls", "--asset", "BM-1", "--reason", "x"}, "give at least one of --segmented, --nac, --disabled-services"},
			{[]string{"set", "--modality", "infusion_pump", "--point", "financial", "--value", "9", "--reason", "x"}, "must be 1–5"},
		} {
			code, _, stderr := run(t, "", append([]string{"assess", "--db", dsn}, tt.args...)...)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("%v: exit %d %q; want %q", tt.args, code, stderr, tt.want)
			}
		}
		code, out, stderr := run(t, "", "assess", "--db", dsn, "support", "--model", model, "--status", "end-of-support", "--reason", "security patches end 2026")
		if code != 0 || !strings.Contains(out, "(model "+model+")") || !strings.Contains(out, "2 changed, 2 history rows") {
			t.Fatalf("support: %d %s %s", code, out, stderr)
		}
		code, out, stderr = run(t, "", "assess", "--db", dsn, "controls", "--asset", "BM-1", "--segmented", "yes", "--nac", "no", "--reason", "VLAN 40")
		if code != 0 || !strings.Contains(out, "segmented yes, NAC no, disabled services no") || !strings.Contains(out, "1 changed, 1 history rows") {
			t.Fatalf("controls: %d %s %s", code, out, stderr)
		}
		code, out, stderr = run(t, "", "assess", "--db", dsn, "set", "--modality", "infusion_pump", "--point", "care-delivery", "--value", "5", "--reason", "care stops")
		if code != 0 || !strings.Contains(out, "2 changed") {
			t.Fatalf("set: %d %s %s", code, out, stderr)
		}
		if code, out, _ := run(t, "", "score", "--full", "--db", dsn); code != 0 || !strings.Contains(out, "0 changed, 0 history rows") {
			t.Errorf("full score after the rescores: %s", out)
		}
		_, n, _ := st.FindAudit(context.Background(), medsec.AuditFilter{Entity: "asset_controls"})
		_, m, _ := st.FindAudit(context.Background(), medsec.AuditFilter{Entity: "model_support"})
		if n != 1 || m != 1 {
			t.Errorf("audit: %d controls, %d support records", n, m)
		}
		if code, out, _ := run(t, "", "lists", "mitigation", "--db", dsn); code != 0 || !strings.Contains(out, "at Main Campus") {
			t.Errorf("mitigation titles without the facility:\n%s", out)
		}
	})
}
