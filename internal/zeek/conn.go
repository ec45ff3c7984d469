package zeek

import (
	"io"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Flow is all connections from Src to Dst:DstPort over Proto in one conn
// log. The inventory needs "who talks to whom on which service", not single
// connections, and a hospital's conn.log has millions of those a day.
type Flow struct {
	Src, Dst string
	DstPort  int
	Proto    string // tcp, udp, icmp, unknown_transport
	Service  string // distinct non-empty Zeek services seen, sorted, ","-joined
	Conns    int64
	Bytes    int64 // sum of orig_bytes + resp_bytes; unset counts as 0; saturates
	First    time.Time
	Last     time.Time
}

// maxServices caps the services remembered per flow, keeping memory per flow
// bounded even if a hostile log cycles through service names.
const maxServices = 8

type flowKey struct {
	src, dst netip.Addr
	port     uint16
	proto    string
}

type flowAcc struct {
	f        Flow
	services []string
}

// AggregateConns streams a conn log, TSV or JSON, gzipped or not, and
// aggregates it per (id.orig_h, id.resp_h, id.resp_p, proto). Memory is
// bounded by distinct tuples, never by connections. The result is sorted by
// source, destination, port, protocol.
func AggregateConns(name string, r io.Reader) ([]Flow, error) {
	rd, err := Open(name, r)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if k := rd.Kind(); k != KindConn {
		return nil, errorf(name, 0, "", "log kind %q is not conn", k)
	}
	rr := rd.(rowReader)
	acc := map[flowKey]*flowAcc{}
	for {
		row, n, err := rr.nextRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := addConn(name, n, row, acc); err != nil {
			return nil, err
		}
	}
	out := make([]Flow, 0, len(acc))
	for k, a := range acc {
		f := a.f
		f.Src, f.Dst, f.DstPort, f.Proto = k.src.String(), k.dst.String(), int(k.port), k.proto
		sort.Strings(a.services)
		f.Service = strings.Join(a.services, ",")
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if c := compareAddr(a.Src, b.Src); c != 0 {
			return c < 0
		}
		if c := compareAddr(a.Dst, b.Dst); c != 0 {
			return c < 0
		}
		if a.DstPort != b.DstPort {
			return a.DstPort < b.DstPort
		}
		return a.Proto < b.Proto
	})
	return out, nil
}

func addConn(file string, n int, r row, acc map[flowKey]*flowAcc) error {
	var k flowKey
	var err error
	if k.src, err = addrField(file, n, r, "id.orig_h"); err != nil {
		return err
	}
	if k.dst, err = addrField(file, n, r, "id.resp_h"); err != nil {
		return err
	}
	p, ok := r.get("id.resp_p")
	if !ok || p == "" {
		return errorf(file, n, "id.resp_p", "missing port")
	}
	pn, err := port(p)
	if err != nil {
		return errorf(file, n, "id.resp_p", "bad port %s", quote(p))
	}
	k.port = uint16(pn)
	proto, ok := r.get("proto")
	if !ok {
		return errorf(file, n, "proto", "missing proto")
	}
	k.proto = intern(proto)
	at, err := timeField(file, n, r, "ts")
	if err != nil {
		return err
	}
	var bytes int64
	for _, f := range []string{"orig_bytes", "resp_bytes"} {
		v := first(r, f)
		if v == "" {
			continue
		}
		b, err := strconv.ParseInt(v, 10, 64)
		if err != nil || b < 0 {
			return errorf(file, n, f, "bad byte count %s", quote(v))
		}
		bytes = satAdd(bytes, b)
	}

	a := acc[k]
	if a == nil {
		a = &flowAcc{}
		acc[k] = a
	}
	a.f.Conns++
	a.f.Bytes = satAdd(a.f.Bytes, bytes)
	if !at.IsZero() {
		if a.f.First.IsZero() || at.Before(a.f.First) {
			a.f.First = at
		}
		if at.After(a.f.Last) {
			a.f.Last = at
		}
	}
	if svc := first(r, "service"); svc != "" {
		for _, s := range strings.Split(svc, ",") {
			a.addService(s)
		}
	}
	return nil
}

func (a *flowAcc) addService(s string) {
	if s == "" || len(a.services) >= maxServices {
		return
	}
	for _, have := range a.services {
		if have == s {
			return
		}
	}
	a.services = append(a.services, strings.Clone(s))
}

func addrField(file string, n int, r row, f string) (netip.Addr, error) {
	v, ok := r.get(f)
	if !ok || v == "" {
		return netip.Addr{}, errorf(file, n, f, "missing address")
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return a, errorf(file, n, f, "bad address %s", quote(v))
	}
	return a.Unmap(), nil
}

// intern returns a constant for the usual protocols, so map keys do not pin
// the line each was sliced from.
func intern(s string) string {
	switch s {
	case "tcp":
		return "tcp"
	case "udp":
		return "udp"
	case "icmp":
		return "icmp"
	case "unknown_transport":
		return "unknown_transport"
	}
	return strings.Clone(s)
}

func satAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
