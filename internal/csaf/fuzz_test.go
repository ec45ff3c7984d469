package csaf

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzLoad(f *testing.F) {
	for _, name := range []string{"icsma-17-009-01a.json", "icsma-24-200-01.json"} {
		raw, err := os.ReadFile(filepath.Join(icsmaDir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Add(richDoc(f))
	f.Add([]byte(`{"document": {"tracking": {}}}`))
	f.Add([]byte(`[{"a": 1}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Load("fuzz.json", bytes.NewReader(data))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.File != "fuzz.json" || !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error not an *Error with file name: %T %v", err, err)
			}
			if a != nil {
				t.Fatal("advisory and error")
			}
			return
		}
		if !bytes.Equal(a.Raw, data) {
			t.Fatal("Raw differs from input")
		}
		if len(a.Vulns) > 0 && a.ID == "" {
			t.Fatal("schema-valid advisory without tracking id")
		}
	})
}

func BenchmarkLoadAll(b *testing.B) {
	files, err := filepath.Glob(filepath.Join(icsmaDir, "*.json"))
	if err != nil || len(files) != 108 {
		b.Fatalf("%d files, %v", len(files), err)
	}
	var size int64
	for _, f := range files {
		fi, _ := os.Stat(f)
		size += fi.Size()
	}
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		advs, errs := LoadPath(icsmaDir)
		if len(advs) != 108 || len(errs) != 0 {
			b.Fatal(len(advs), errs)
		}
	}
}
