package nvd

import (
	"bytes"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/vers"
)

func TestGenerateRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Generate(&buf, 2000, 42); err != nil {
		t.Fatal(err)
	}
	t.Logf("2000 CVEs = %d bytes (%.0f per CVE)", buf.Len(), float64(buf.Len())/2000)
	var again bytes.Buffer
	Generate(&again, 2000, 42)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatal("Generate is not deterministic")
	}
	x := NewIndex()
	pg, err := ReadPage("gen", &buf, func(c *CVE) error { x.Add(c); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if pg.Records != 2000 || pg.TotalResults != 2000 || x.NoConfig == 0 {
		t.Fatalf("page %+v NoConfig %d", pg, x.NoConfig)
	}
	devs := GenerateDevices(500)
	seen := map[string]bool{}
	for _, d := range devs {
		k := d.Manufacturer + "|" + d.Model + "|" + d.ModelNumber + "|" + d.Firmware
		if seen[k] {
			t.Fatalf("duplicate device %s", k)
		}
		seen[k] = true
	}
	fs := x.Match(devs)
	var yes, unk int
	for _, f := range fs {
		if f.Result == vers.Yes {
			yes++
		} else {
			unk++
		}
		if f.VersionCertain != (f.Result == vers.Yes) || len(f.Evidence) < 3 {
			t.Fatalf("finding %+v", f)
		}
		if strings.Contains(strings.Join(f.Evidence, "\n"), "product_") {
			t.Fatalf("medical device matched an IT product: %v", f.Evidence)
		}
	}
	t.Logf("%d findings: %d yes, %d unknown", len(fs), yes, unk)
	if yes == 0 || unk == 0 {
		t.Fatal("generated data should give both certain and uncertain findings")
	}
}
