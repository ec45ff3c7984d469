package tabular

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// result is everything read from one input.
type result struct {
	r      Reader
	header []string
	rows   []Row
	err    error // first error from Open or Next
}

// readAll opens data under name and reads until EOF or the first error,
// checking the package invariants on the way.
func readAll(t testing.TB, name string, data []byte, opt Options) result {
	t.Helper()
	r, err := Open(name, bytes.NewReader(data), opt)
	if err != nil {
		checkErr(t, err)
		return result{err: err}
	}
	defer r.Close()
	res := result{r: r, header: r.Header()}
	for {
		row, err := r.Next()
		if err == io.EOF {
			return res
		}
		if err != nil {
			checkErr(t, err)
			res.err = err
			return res
		}
		if len(row.Cells) != len(res.header) {
			t.Fatalf("row %d has %d cells, header %d", row.Line, len(row.Cells), len(res.header))
		}
		res.rows = append(res.rows, row)
	}
}

func checkErr(t testing.TB, err error) {
	t.Helper()
	var te *Error
	if !errors.As(err, &te) || err != error(te) {
		t.Fatalf("error is %T, not *Error: %v", err, err)
	}
}

func cells(rows []Row) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = r.Cells
	}
	return out
}

func wantErr(t *testing.T, err error, parts ...string) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want error containing %q, got nil", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
	var te *Error
	errors.As(err, &te)
	return te
}

func writeFile(p string, b []byte) error { return os.WriteFile(p, b, 0o600) }
