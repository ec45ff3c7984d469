package csaf

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
)

func writeFile(t testing.TB, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func copyAdvisory(t testing.TB, name, dst string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(icsmaDir, name))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, raw)
}

func jsonText(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// providerLayout builds the web tree of a trusted provider below dir:
// .well-known/csaf/{provider-metadata.json, white/feed.json, white/<year>/*.json}.
func providerLayout(t testing.TB, dir string) string {
	const base = "https://psirt.example.com/.well-known/csaf"
	csafDir := filepath.Join(dir, ".well-known", "csaf")
	pmd := map[string]any{
		"canonical_url": base + "/provider-metadata.json",
		"distributions": []any{map[string]any{"rolie": map[string]any{"feeds": []any{map[string]any{
			"summary": "TLP:WHITE advisories", "tlp_label": "WHITE", "url": base + "/white/csaf-feed-tlp-white.json",
		}}}}},
		"last_updated":               "2024-10-24T00:00:00Z",
		"list_on_CSAF_aggregators":   true,
		"metadata_version":           "2.0",
		"mirror_on_CSAF_aggregators": true,
		"publisher":                  map[string]any{"category": "coordinator", "name": "CISA", "namespace": "https://www.cisa.gov/"},
		"role":                       "csaf_trusted_provider",
	}
	entry := func(id, src string) map[string]any {
		return map[string]any{
			"id": id, "title": id,
			"link":      []any{map[string]any{"rel": "self", "href": src}},
			"published": "2024-10-24T00:00:00Z", "updated": "2024-10-24T00:00:00Z",
			"content": map[string]any{"type": "application/json", "src": src},
			"format":  map[string]any{"schema": "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json", "version": "2.0"},
		}
	}
	feed := map[string]any{"feed": map[string]any{
		"id": "csaf-feed-tlp-white", "title": "CSAF feed (TLP:WHITE)", "updated": "2024-10-24T00:00:00Z",
		"entry": []any{
			entry("ICSMA-17-009-01A", base+"/white/2017/icsma-17-009-01a.json"), // absolute URL
			entry("ICSMA-24-200-01", "2024/icsma-24-200-01.json"),               // relative to the feed
		},
	}}
	writeFile(t, filepath.Join(csafDir, "provider-metadata.json"), jsonText(t, pmd))
	writeFile(t, filepath.Join(csafDir, "white", "csaf-feed-tlp-white.json"), jsonText(t, feed))
	copyAdvisory(t, "icsma-17-009-01a.json", filepath.Join(csafDir, "white", "2017", "icsma-17-009-01a.json"))
	copyAdvisory(t, "icsma-24-200-01.json", filepath.Join(csafDir, "white", "2024", "icsma-24-200-01.json"))
	// Not listed in the feed: a provider's feeds are authoritative.
	copyAdvisory(t, "icsma-20-343-01.json", filepath.Join(csafDir, "white", "2020", "icsma-20-343-01.json"))
	return csafDir
}

func ids(advs []*Advisory) []string {
	var out []string
	for _, a := range advs {
		out = append(out, a.ID)
	}
	return out
}

func TestProviderLayout(t *testing.T) {
	dir := t.TempDir()
	csafDir := providerLayout(t, dir)
	want := []string{"ICSMA-17-009-01A", "ICSMA-24-200-01"}
	for _, root := range []string{dir, csafDir, filepath.Join(csafDir, "provider-metadata.json")} {
		advs, errs := LoadPath(root)
		if len(errs) != 0 {
			t.Errorf("%s: errors %v", root, errs)
		}
		if got := ids(advs); !slices.Equal(got, want) {
			t.Errorf("%s: loaded %v, want %v", root, got, want)
		}
		for _, a := range advs {
			if !strings.HasPrefix(a.File, csafDir) || len(a.Raw) == 0 {
				t.Errorf("%s: File=%q", a.ID, a.File)
			}
		}
	}
}

func TestProviderMissingEntryAndEscape(t *testing.T) {
	dir := t.TempDir()
	csafDir := providerLayout(t, dir)
	feedPath := filepath.Join(csafDir, "white", "csaf-feed-tlp-white.json")
	raw, _ := os.ReadFile(feedPath)
	var feed map[string]any
	json.Unmarshal(raw, &feed)
	f := obj(feed, "feed")
	secret := filepath.Join(dir, "outside.json")
	copyAdvisory(t, "icsma-20-343-01.json", secret)
	for _, src := range []string{"https://psirt.example.com/.well-known/csaf/white/2099/gone.json", "../../../outside.json"} {
		f["entry"] = append(f["entry"].([]any), map[string]any{
			"id": src, "title": "x", "link": []any{}, "published": "2024-10-24T00:00:00Z", "updated": "2024-10-24T00:00:00Z",
			"content": map[string]any{"type": "application/json", "src": src},
			"format":  map[string]any{"schema": "x", "version": "2.0"},
		})
	}
	writeFile(t, feedPath, jsonText(t, feed))
	advs, errs := LoadPath(csafDir)
	if got := ids(advs); !slices.Equal(got, []string{"ICSMA-17-009-01A", "ICSMA-24-200-01"}) {
		t.Errorf("loaded %v", got)
	}
	if len(errs) != 2 {
		t.Fatalf("errors: %v", errs)
	}
	for _, err := range errs {
		var e *Error
		if !errors.As(err, &e) || e.File != feedPath || !strings.Contains(e.Msg, "no local file") {
			t.Errorf("error: %v", err)
		}
		t.Log(err)
	}
}

func TestDirectoryWalkSkipsMetaAndReportsBadFiles(t *testing.T) {
	dir := t.TempDir()
	copyAdvisory(t, "icsma-17-009-01a.json", filepath.Join(dir, "a", "icsma-17-009-01a.json"))
	copyAdvisory(t, "icsma-24-200-01.json", filepath.Join(dir, "b", "c", "icsma-24-200-01.json"))
	writeFile(t, filepath.Join(dir, "b", "feed.json"), []byte(`{"feed": {"id": "x", "entry": []}}`))
	writeFile(t, filepath.Join(dir, "b", "notes.txt"), []byte("not json"))
	writeFile(t, filepath.Join(dir, "broken.json"), []byte(`{"document": {}}`))
	advs, errs := LoadPath(dir)
	if got := ids(advs); !slices.Equal(got, []string{"ICSMA-17-009-01A", "ICSMA-24-200-01"}) {
		t.Errorf("loaded %v", got)
	}
	var e *Error
	if len(errs) != 1 || !errors.As(errs[0], &e) || e.File != filepath.Join(dir, "broken.json") || e.Path != "/document" {
		t.Errorf("errors: %v", errs)
	}
	if _, errs := LoadPath(filepath.Join(dir, "nope")); len(errs) != 1 {
		t.Errorf("missing path: %v", errs)
	}
}

// TestGocsafModelRejectsSchemaArrays documents why model.go exists: gocsaf's
// typed model cannot decode schema-valid documents with product groups or
// identification hashes (arrays in the schema, structs in gocsaf).
// When it logs that gocsaf decodes such documents (after an upgrade), the
// typed decode could move back to gocsaf.Advisory.
func TestGocsafModelRejectsSchemaArrays(t *testing.T) {
	raw := richDoc(t)
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if msgs, err := gocsaf.ValidateCSAF(doc); err != nil || len(msgs) != 0 {
		t.Fatalf("rich document not schema-valid: %v %v", err, msgs)
	}
	var adv gocsaf.Advisory
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&adv); err == nil {
		t.Log("gocsaf.Advisory now decodes product_groups; model.go may be obsolete")
	} else {
		t.Logf("gocsaf.Advisory: %v", err)
	}
	if _, err := Load("rich.json", bytes.NewReader(raw)); err != nil {
		t.Fatal(err)
	}
}
