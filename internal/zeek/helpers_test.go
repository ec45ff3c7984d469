package zeek

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// testFiles lists every copied real log under testdata.
func testFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	for _, dir := range []string{"testdata/btest", "testdata/wrccdc"} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	return files
}

func readAll(t testing.TB, name string, r io.Reader) (Reader, []Record) {
	t.Helper()
	rd, err := Open(name, r)
	if err != nil {
		t.Fatalf("Open(%s): %v", name, err)
	}
	var recs []Record
	for {
		rec, _, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		recs = append(recs, rec)
	}
	if err := rd.Close(); err != nil {
		t.Fatal(err)
	}
	return rd, recs
}

func openFile(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func gz(t testing.TB, s string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// asError asserts err is an *Error (the package's only error type).
func asError(t testing.TB, err error) *Error {
	t.Helper()
	var ze *Error
	if !errors.As(err, &ze) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	return ze
}

func newBytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
