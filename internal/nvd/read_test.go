package nvd

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"testing"
)

func readAll(t *testing.T, name, in string) ([]*CVE, error) {
	t.Helper()
	var got []*CVE
	err := Read(name, strings.NewReader(in), func(c *CVE) error { got = append(got, c); return nil })
	return got, err
}

const oneCVE = `{"id":"CVE-2020-0001","published":"2020-01-01T00:00:00.000","descriptions":[{"lang":"en","value":"x"}],"metrics":{},"configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:offis:dcmtk:*:*:*:*:*:*:*:*","versionEndExcluding":"3.6.7"}]}]}]}`

func TestReadShapes(t *testing.T) {
	for name, in := range map[string]string{
		"bare cve":    oneCVE,
		"record":      `{"cve":` + oneCVE + `}`,
		"page":        `{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE","version":"2.0","timestamp":"x","vulnerabilities":[{"cve":` + oneCVE + `}]}`,
		"vulns first": `{"vulnerabilities":[{"cve":` + oneCVE + `}],"totalResults":1}`,
		"json lines":  oneCVE + "\n" + `{"cve":` + oneCVE + "}\n",
	} {
		got, err := readAll(t, name, in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		want := 1
		if name == "json lines" {
			want = 2
		}
		if len(got) != want || got[0].ID != "CVE-2020-0001" || got[0].Configurations[0].Nodes[0].CPEMatch[0].VersionEndExcluding != "3.6.7" {
			t.Errorf("%s: got %+v", name, got)
		}
	}
	// An empty page is fine.
	if got, err := readAll(t, "empty page", `{"resultsPerPage":0,"totalResults":0,"vulnerabilities":[]}`); err != nil || len(got) != 0 {
		t.Errorf("empty page: %v %v", got, err)
	}
}

func TestReadGzip(t *testing.T) {
	raw, err := os.ReadFile("testdata/nvd_api2_envelope.medical-subset.json")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(raw)
	zw.Close()
	n := 0
	if err := Read("subset.json.gz", &buf, func(*CVE) error { n++; return nil }); err != nil || n != 9 {
		t.Fatalf("gzip: %d records, %v", n, err)
	}
}

func TestReadErrors(t *testing.T) {
	page := func(recs ...string) string {
		return `{"resultsPerPage":2,"vulnerabilities":[` + strings.Join(recs, ",") + `]}`
	}
	good := `{"cve":` + oneCVE + `}`
	tests := []struct {
		name, in string
		want     []string // substrings of the error
	}{
		{"empty", "", []string{"f.json", "empty input"}},
		{"array", `[1,2]`, []string{"top-level value is an array"}},
		{"unknown object", `{"foo":1}`, []string{"neither an NVD API 2.0 page"}},
		{"truncated", page(good, `{"cve":{"id":"CVE-2020-0002","descr`), []string{"f.json: record 1", "$.vulnerabilities[1]", "truncated"}},
		{"syntax", page(good, `{"cve":{"id":"CVE-2020-0002",}}`), []string{"record 1", "$.vulnerabilities[1]", "malformed JSON"}},
		{"wrong type", page(good, `{"cve":{"id":"CVE-2020-0002","configurations":[{"nodes":[{"operator":"OR","cpeMatch":[{"vulnerable":"yes"}]}]}]}}`),
			[]string{"record 1", "$.vulnerabilities[1].cve.configurations.nodes.cpeMatch.vulnerable", "string value where bool expected"}},
		{"no cve", page(good, `{"x":1}`), []string{"record 1", `no "cve" object`}},
		{"no id", page(`{"cve":{"descriptions":[]}}`), []string{"record 0", "$.vulnerabilities[0].cve.id", "no CVE id"}},
		{"bad id", page(`{"cve":{"id":"CVE-20-1"}}`), []string{"CVE id \"CVE-20-1\" is not of the form"}},
		{"bad cpe", page(good, `{"cve":{"id":"CVE-2021-0002","configurations":[{"nodes":[{"operator":"OR","cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:x"}]}]}]}}`),
			[]string{"record 1 (CVE-2021-0002)", "$.vulnerabilities[1].cve.configurations[0].nodes[0].cpeMatch[0].criteria", "has 2 attributes, want 11"}},
		{"bad operator", page(`{"cve":{"id":"CVE-2021-0002","configurations":[{"operator":"XOR","nodes":[]}]}}`), []string{"configurations[0].operator", `"XOR"`}},
		{"vulnerabilities not array", `{"vulnerabilities":{}}`, []string{"$.vulnerabilities", "want an array"}},
	}
	for _, tc := range tests {
		_, err := readAll(t, "f.json", tc.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: error %v is not *Error", tc.name, err)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
	}
	// The offset points into the bad record.
	in := page(good, `{"cve":{"id":"CVE-2020-0002",}}`)
	_, err := readAll(t, "f.json", in)
	var e *Error
	errors.As(err, &e)
	if bad := strings.Index(in, `,}}`); e.Offset < int64(bad)-8 || e.Offset > int64(bad)+8 {
		t.Errorf("offset %d, bad byte at %d", e.Offset, bad)
	}
	// fn's error stops the read and is wrapped.
	stop := errors.New("stop")
	err = Read("f.json", strings.NewReader(page(good, good)), func(*CVE) error { return stop })
	if !errors.Is(err, stop) || !strings.Contains(err.Error(), "record 0 (CVE-2020-0001)") {
		t.Errorf("fn error: %v", err)
	}
}

// TestReadStreamsLargeFeed streams a generated feed of more than 200 MB
// through a pipe and checks the heap stays far below the input size, so the
// reader never holds the feed.
func TestReadStreamsLargeFeed(t *testing.T) {
	if testing.Short() {
		t.Skip("large feed")
	}
	const n = 100_000 // about 2.2 KB each
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(Generate(pw, n, 7)) }()
	cr := &countReader{r: pr}
	var peak uint64
	var ms runtime.MemStats
	count := 0
	err := Read("generated", cr, func(c *CVE) error {
		count++
		if count%5000 == 0 {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak {
				peak = ms.HeapInuse
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != n || cr.n < 200<<20 {
		t.Fatalf("read %d records, %d bytes", count, cr.n)
	}
	t.Logf("streamed %d MB, peak heap in use %d MB", cr.n>>20, peak>>20)
	if peak > 64<<20 {
		t.Fatalf("peak heap %d MB while streaming %d MB: the feed is being held", peak>>20, cr.n>>20)
	}
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
