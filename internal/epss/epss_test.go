package epss

import (
	"bytes"
	"compress/gzip"
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"
)

func TestReadSample(t *testing.T) {
	raw, err := os.ReadFile("testdata/epss_scores-sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	for name, in := range map[string][]byte{"plain.csv": raw, "sample.csv.gz": gz.Bytes()} {
		var scores []Score
		meta, err := Read(name, bytes.NewReader(in), func(s Score) error { scores = append(scores, s); return nil })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if meta.ModelVersion != "v2025.03.14" || !meta.ScoreDate.Equal(time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)) || meta.Rows != 15 || len(scores) != 15 {
			t.Fatalf("%s: meta %+v, %d scores", name, meta, len(scores))
		}
		if s := scores[1]; s.CVE != "CVE-2017-0144" || s.EPSS != 0.97505 || s.Percentile != 0.99981 {
			t.Errorf("%s: %+v", name, s)
		}
	}
}

func TestReadVariants(t *testing.T) {
	// No comment line, no percentile column, CRLF, blank last line.
	var got []Score
	meta, err := Read("old.csv", strings.NewReader("cve,epss\r\nCVE-2021-44228,0.9\r\n\r\n"), func(s Score) error { got = append(got, s); return nil })
	if err != nil || meta.ModelVersion != "" || len(got) != 1 || !math.IsNaN(got[0].Percentile) || got[0].EPSS != 0.9 {
		t.Fatalf("%+v %+v %v", meta, got, err)
	}
	// No trailing newline.
	if meta, err := Read("x", strings.NewReader("cve,epss,percentile\nCVE-2021-44228,0.9,0.99"), nil); err != nil || meta.Rows != 1 {
		t.Fatalf("%+v %v", meta, err)
	}
}

func TestReadErrors(t *testing.T) {
	const head = "#model_version:v2025.03.14,score_date:2025-03-20T00:00:00+0000\ncve,epss,percentile\n"
	tests := []struct{ name, in, want string }{
		{"empty", "", "x: line 0: empty input"},
		{"header", "a,b,c\n1,2,3\n", `line 1: header "a,b,c" lacks`},
		{"bad cve", head + "CVE-2021-44228,0.1,0.2\nCVE-21-1,0.1,0.2\n", `line 4, column cve: "CVE-21-1" is not a CVE id`},
		{"score > 1", head + "CVE-2021-44228,1.5,0.2\n", "line 3, column epss: 1.5 is outside 0..1"},
		{"negative", head + "CVE-2021-44228,0.5,-0.1\n", "line 3, column percentile: -0.1 is outside 0..1"},
		{"not a number", head + "CVE-2021-44228,abc,0.2\n", `line 3, column epss: "abc" is not a number`},
		{"nan", head + "CVE-2021-44228,NaN,0.2\n", `column epss: "NaN" is not a number`},
		{"fields", head + "CVE-2021-44228,0.1\n", "line 3: 2 fields, header has 3"},
		{"bad date", "#model_version:v1,score_date:yesterday\ncve,epss\n", `line 1: score_date "yesterday"`},
		{"bad gzip", "\x1f\x8b\x00\x00", "gzip"},
	}
	for _, tc := range tests {
		_, err := Read("x", strings.NewReader(tc.in), nil)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	stop := errors.New("stop")
	if _, err := Read("x", strings.NewReader(head+"CVE-2021-44228,0.1,0.2\n"), func(Score) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn error: %v", err)
	}
}

// TestReadStreams reads a large generated file without holding it.
func TestReadStreams(t *testing.T) {
	var b strings.Builder
	b.WriteString("cve,epss,percentile\n")
	for i := 0; i < 300_000; i++ {
		b.WriteString("CVE-2024-")
		b.WriteString(strings.Repeat("1", 1+i%3))
		b.WriteString("0000,0.5,0.5\n")
	}
	meta, err := Read("big", strings.NewReader(b.String()), func(Score) error { return nil })
	if err != nil || meta.Rows != 300_000 {
		t.Fatalf("%+v %v", meta, err)
	}
}
