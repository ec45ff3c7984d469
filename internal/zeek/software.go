package zeek

import (
	"io"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Software is one software.log entry: what Zeek saw a host run (a server
// banner, a browser user agent). For medical devices this is often the only
// source of firmware or embedded-OS versions the CMMS lacks.
type Software struct {
	Host     string // IP
	Port     int    // host_p, for servers; 0 when unset
	Name     string
	Version  string // see ReadSoftware
	Type     string // software_type, e.g. "HTTP::SERVER"
	Unparsed string // unparsed_version as Zeek saw it
	At       time.Time
	Line     int
}

// ReadSoftware reads a software log, TSV or JSON, gzipped or not, sorted by
// host, port, type, name, version, time.
//
// Version is assembled the way Zeek's Software::software_fmt_version does:
// major.minor.minor2.minor3, then "-" and version.addl ("2.4.29-Unix"). With
// no numeric part it is version.addl alone, else unparsed_version, unless that
// is just the name again (an "Apache" banner has no version: "").
func ReadSoftware(name string, r io.Reader) ([]Software, error) {
	rd, err := Open(name, r)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if k := rd.Kind(); k != KindSoftware {
		return nil, errorf(name, 0, "", "log kind %q is not software", k)
	}
	rr := rd.(rowReader)
	var out []Software
	for {
		row, n, err := rr.nextRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		s, err := software(name, n, row)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c := compareAddr(a.Host, b.Host); c != 0 {
			return c < 0
		}
		if a.Port != b.Port {
			return a.Port < b.Port
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		if !a.At.Equal(b.At) {
			return a.At.Before(b.At)
		}
		return a.Line < b.Line
	})
	return out, nil
}

func software(file string, n int, r row) (Software, error) {
	s := Software{Line: n}
	var err error
	if s.At, err = timeField(file, n, r, "ts"); err != nil {
		return s, err
	}
	host, ok := r.get("host")
	if !ok || host == "" {
		return s, errorf(file, n, "host", "missing host")
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return s, errorf(file, n, "host", "bad address %s", quote(host))
	}
	s.Host = a.Unmap().String()
	if p := first(r, "host_p"); p != "" {
		if s.Port, err = port(p); err != nil {
			return s, errorf(file, n, "host_p", "bad port %s", quote(p))
		}
	}
	s.Name = strings.Clone(first(r, "name"))
	s.Type = strings.Clone(first(r, "software_type"))
	s.Unparsed = strings.Clone(first(r, "unparsed_version"))

	var nums []string
	for _, f := range []string{"version.major", "version.minor", "version.minor2", "version.minor3"} {
		v := first(r, f)
		if v == "" {
			continue
		}
		if _, err := strconv.ParseUint(v, 10, 64); err != nil {
			return s, errorf(file, n, f, "bad version number %s", quote(v))
		}
		if len(nums) == 0 && f != "version.major" {
			nums = append(nums, "0") // as Zeek prints a missing major
		}
		nums = append(nums, v)
	}
	addl := first(r, "version.addl")
	switch {
	case len(nums) > 0 && addl != "":
		s.Version = strings.Join(nums, ".") + "-" + addl
	case len(nums) > 0:
		s.Version = strings.Join(nums, ".")
	case addl != "":
		s.Version = addl
	case s.Unparsed != s.Name:
		s.Version = s.Unparsed
	}
	s.Version = strings.Clone(s.Version)
	return s, nil
}

// port reads a Zeek port value ("80"; JSON may carry it as a number).
func port(s string) (int, error) {
	p, err := strconv.ParseUint(s, 10, 16)
	return int(p), err
}
