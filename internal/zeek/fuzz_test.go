package zeek

import (
	"errors"
	"io"
	"os"
	"testing"
)

// FuzzReader checks that no input panics and that every error is an *Error,
// through the generic Reader and each typed view.
func FuzzReader(f *testing.F) {
	for _, path := range testFiles(f) {
		if data, err := os.ReadFile(path); err == nil && len(data) < 16<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte(connTSV))
	f.Add(gz(f, connTSV))
	f.Add([]byte(dhcpHeader + "1.0\taa:bb:cc:dd:ee:ff\t10.0.0.1\th\n"))
	f.Add([]byte(`{"ts":XXXXXXXXXX.XXXXXX,"mac":"aa:bb:cc:dd:ee:ff","assigned_addr":"10.0.0.1"}`))
	f.Add([]byte(`{"ts":"2018-03-24T17:15:20Z","host":"10.0.0.1","software_type":"x","name":"y","version.major":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error) {
			if err == nil || err == io.EOF {
				return
			}
			var ze *Error
			if !errors.As(err, &ze) || error(ze) != err {
				t.Fatalf("error %v (%T) is not *Error", err, err)
			}
			_ = ze.Error()
		}
		if rd, err := Open("fuzz", newBytesReader(data)); err != nil {
			check(err)
		} else {
			rd.Kind()
			rd.Fields()
			for i := 0; i < 1000; i++ {
				_, _, err := rd.Next()
				if err != nil {
					check(err)
					break
				}
			}
			check(rd.Close())
		}
		_, err := ReadPresence("dhcp.log", newBytesReader(data))
		check(err)
		_, err = ReadPresence("known_hosts.log", newBytesReader(data))
		check(err)
		_, err = ReadSoftware("software.log", newBytesReader(data))
		check(err)
		_, err = AggregateConns("conn.log", newBytesReader(data))
		check(err)
	})
}
