package zeek

import (
	"io"
	"net"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// Presence says a device was on the network: the evidence that links a
// network address to a CMMS asset (by MAC) or a CMDB entry (by IP/hostname).
type Presence struct {
	MAC       string // lower-case, colon-separated; "" from known_hosts
	IP        string // latest address seen for the MAC (or the key itself)
	Hostname  string // latest DHCP host_name, else client_fqdn without the final dot
	FirstSeen time.Time
	LastSeen  time.Time // zero when every sighting had an unknown time
	Source    string    // "dhcp" | "known_hosts"
	Line      int       // line of the first sighting, for provenance

	// IPs lists every distinct address seen for this MAC, sorted. DHCP
	// churn and static re-addressing both happen to medical devices, and a
	// conn flow may carry any of them.
	IPs []string
}

// ReadPresence reads a dhcp or known_hosts log (TSV or JSON, gzipped or not)
// and merges the sightings per MAC, or per IP where there is no MAC, keeping
// first and last seen. Memory is bounded by distinct hosts, not lines. The
// result is sorted by MAC, then IP.
//
// dhcp fields used: mac; assigned_addr, else client_addr, else (Zeek < 2.6)
// assigned_ip or id.orig_h; host_name, else client_fqdn; ts. Records with
// neither a MAC nor a usable address (DHCP DISCOVER from 0.0.0.0 with no MAC)
// are skipped. known_hosts fields used: host, ts.
func ReadPresence(name string, r io.Reader) ([]Presence, error) {
	rd, err := Open(name, r)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	kind := rd.Kind()
	if kind != KindDHCP && kind != KindKnownHosts {
		return nil, errorf(name, 0, "", "log kind %q cannot give presence; want dhcp or known_hosts", kind)
	}
	rr := rd.(rowReader)
	acc := map[string]*presenceAcc{}
	for {
		row, n, err := rr.nextRow()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		s, err := sighting(name, n, kind, row)
		if err != nil {
			return nil, err
		}
		if s.mac == "" && !s.ip.IsValid() {
			continue
		}
		key := "ip:" + s.ip.String()
		if s.mac != "" {
			key = "mac:" + s.mac
		}
		a := acc[key]
		if a == nil {
			a = &presenceAcc{p: Presence{MAC: s.mac, Source: string(kind), Line: n}}
			acc[key] = a
		}
		a.add(s, n)
	}
	out := make([]Presence, 0, len(acc))
	for _, a := range acc {
		out = append(out, a.result())
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.MAC != b.MAC {
			return a.MAC < b.MAC
		}
		if c := compareAddr(a.IP, b.IP); c != 0 {
			return c < 0
		}
		return a.Line < b.Line
	})
	return out, nil
}

type sight struct {
	mac  string
	ip   netip.Addr
	host string
	at   time.Time
}

func sighting(file string, n int, kind Kind, r row) (sight, error) {
	var s sight
	var err error
	if s.at, err = timeField(file, n, r, "ts"); err != nil {
		return s, err
	}
	addrFields := []string{"host"}
	if kind == KindDHCP {
		addrFields = []string{"assigned_addr", "client_addr", "assigned_ip", "id.orig_h"}
		s.mac = normMAC(first(r, "mac"))
		s.host = first(r, "host_name")
		if s.host == "" {
			s.host = strings.TrimSuffix(first(r, "client_fqdn"), ".")
		}
	}
	for _, f := range addrFields {
		v, _ := r.get(f)
		if v == "" {
			continue
		}
		a, perr := netip.ParseAddr(v)
		if perr != nil {
			return s, errorf(file, n, f, "bad address %s", quote(v))
		}
		a = a.Unmap()
		if a.IsUnspecified() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
			continue // DHCP from a client that has no address yet
		}
		s.ip = a
		break
	}
	return s, nil
}

type presenceAcc struct {
	p        Presence
	lastAt   time.Time // time of the sighting that set IP/Hostname
	ips      map[netip.Addr]struct{}
	ip       netip.Addr
	hostname string
}

// add folds one sighting in. The "latest" IP and hostname go by timestamp;
// where a time is unknown (btest placeholders) file order decides.
func (a *presenceAcc) add(s sight, n int) {
	if !s.at.IsZero() {
		if a.p.FirstSeen.IsZero() || s.at.Before(a.p.FirstSeen) {
			a.p.FirstSeen = s.at
		}
		if s.at.After(a.p.LastSeen) {
			a.p.LastSeen = s.at
		}
	}
	newer := s.at.IsZero() || a.lastAt.IsZero() || !s.at.Before(a.lastAt)
	if s.ip.IsValid() {
		if a.ips == nil {
			a.ips = map[netip.Addr]struct{}{}
		}
		a.ips[s.ip] = struct{}{}
		if newer || !a.ip.IsValid() {
			a.ip = s.ip
		}
	}
	if s.host != "" && (newer || a.hostname == "") {
		a.hostname = strings.Clone(s.host)
	}
	if newer && !s.at.IsZero() {
		a.lastAt = s.at
	}
}

func (a *presenceAcc) result() Presence {
	p := a.p
	if a.ip.IsValid() {
		p.IP = a.ip.String()
	}
	p.Hostname = a.hostname
	addrs := make([]netip.Addr, 0, len(a.ips))
	for ip := range a.ips {
		addrs = append(addrs, ip)
	}
	sort.Slice(addrs, func(i, j int) bool { return addrs[i].Less(addrs[j]) })
	for _, ip := range addrs {
		p.IPs = append(p.IPs, ip.String())
	}
	return p
}

func first(r row, f string) string {
	v, _ := r.get(f)
	return v
}

// normMAC gives the canonical lower-case colon form, so the same device
// matches across Zeek, the CMMS and the CMDB. Values net.ParseMAC rejects
// (odd DHCP hardware types) are kept lower-cased rather than failing the file.
func normMAC(s string) string {
	if s == "" {
		return ""
	}
	if hw, err := net.ParseMAC(s); err == nil {
		return hw.String()
	}
	return strings.ToLower(strings.Clone(s))
}

// compareAddr orders textual addresses numerically where they parse.
func compareAddr(a, b string) int {
	x, errx := netip.ParseAddr(a)
	y, erry := netip.ParseAddr(b)
	if errx == nil && erry == nil {
		return x.Compare(y)
	}
	return strings.Compare(a, b)
}
