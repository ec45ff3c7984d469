package doc

import (
	"archive/zip"
	"bytes"
	"io"
)

func zipReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}

type testZip struct{ z *zip.Writer }

func newZip(w io.Writer) *testZip { return &testZip{zip.NewWriter(w)} }

func (t *testZip) add(name, data string) {
	f, _ := t.z.Create(name)
	f.Write([]byte(data))
}

func (t *testZip) close() { t.z.Close() }
