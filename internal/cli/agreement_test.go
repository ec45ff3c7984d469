package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/testdb"
)

func TestCLI_AgreementAndReview(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		csv := write(t, "cmms.csv", []byte(header+"BM-001,SN1001,CareFusion,Alaris PC Unit,INFUSION PUMP,General Hospital,ICU,Active\n"))
		if code, _, errs := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", csv); code != 0 {
			t.Fatal(errs)
		}
		if code, out, errs := run(t, "", "agreement", "init", "--db", dsn, "--provider", "Acme Biomed", "--hospital", "General Health"); code != 0 || !strings.Contains(out, "version 1") {
			t.Fatalf("init: %d %s %s", code, out, errs)
		}
		code, js, errs := run(t, "", "agreement", "show", "--db", dsn, "--format", "json")
		if code != 0 {
			t.Fatal(errs)
		}
		bad := strings.Replace(js, `"facilities": null`, `"facilities": ["General Hospital", "Atlantis"]`, 1)
		if code, _, errs := run(t, bad, "agreement", "set", "--db", dsn, "--file", "-"); code == 0 || !strings.Contains(errs, "Atlantis") {
			t.Fatalf("unknown facility accepted: %d %s", code, errs)
		}
		good := strings.Replace(js, `"facilities": null`, `"facilities": ["General Hospital"]`, 1)
		if code, out, errs := run(t, good, "agreement", "set", "--db", dsn, "--file", "-", "--note", "scope"); code != 0 || !strings.Contains(out, "version 2") {
			t.Fatalf("set: %d %s %s", code, out, errs)
		}
		if code, out, _ := run(t, "", "agreement", "diff", "1", "2", "--db", dsn); code != 0 || !strings.Contains(out, "Scope: Facility added: General Hospital") {
			t.Fatalf("diff: %s", out)
		}
		if code, out, errs := run(t, "", "agreement", "route", "--db", dsn, "--since", "48h"); code != 0 || !strings.Contains(out, "notifications routed") {
			t.Fatalf("route: %d %s %s", code, out, errs)
		}
		if code, out, errs := run(t, "", "match", "--db", dsn); code != 0 {
			t.Fatalf("match: %d %s %s", code, out, errs)
		}
		dir := t.TempDir()
		if code, out, errs := run(t, "", "agreement", "export", "--db", dsn, "--format", "docx", "--out", dir); code != 0 || strings.Count(out, ".docx") != 5 {
			t.Fatalf("export: %d %s %s", code, out, errs)
		}
		for _, f := range []string{"pdf", "html", "xlsx"} {
			name := filepath.Join(dir, "review."+f)
			if code, _, errs := run(t, "", "review", "--db", dsn, "--from", "2020-01-01", "--to", "2030-12-31", "--format", f, "--out", name); code != 0 {
				t.Fatalf("review %s: %s", f, errs)
			}
			if st, err := os.Stat(name); err != nil || st.Size() == 0 {
				t.Fatalf("review %s: %v", f, err)
			}
		}
	})
}
