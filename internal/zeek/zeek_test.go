package zeek

import (
	"path/filepath"
	"testing"
)

func TestRealLogsParse(t *testing.T) {
	want := map[string]struct {
		kind Kind
		recs int
	}{
		"scripts.base.protocols.dhcp.dhcp-all-msg-types__dhcp.log":      {KindDHCP, 3},
		"scripts.base.protocols.dhcp.dhcp-prevent-large-uids__dhcp.log": {KindDHCP, 63},
		"scripts.base.protocols.dhcp.dhcp-sub-opts__dhcp.log":           {KindDHCP, 1},
		"scripts.base.protocols.dhcp.inform__dhcp.log":                  {KindDHCP, 1},
		"scripts.base.protocols.dhcp.dhcp-all-msg-types__conn.log":      {KindConn, 4},
		"opt.basic__conn.log":                                                        {KindConn, -1},
		"core.cisco-fabric-path__conn.log":                                           {KindConn, -1},
		"scripts.policy.protocols.conn.known-hosts__knownhosts-all.log":              {KindKnownHosts, 4},
		"scripts.policy.protocols.conn.known-hosts__knownhosts-local.log":            {KindKnownHosts, 1},
		"scripts.policy.frameworks.software.version-changes__software.log":           {KindSoftware, 4},
		"scripts.policy.protocols.http.flash-version__software.log":                  {KindSoftware, 3},
		"scripts.policy.protocols.conn.known-services__knownservices-all.log":        {KindKnownServices, 7},
		"scripts.policy.protocols.conn.known-services-multi__known_services.log":     {KindKnownServices, 2},
		"scripts.base.frameworks.logging.ascii-json__ssh.log":                        {KindOther, 1},
		"scripts.base.frameworks.logging.json-non-printable-escaping__http.log.json": {KindOther, 4},
		"known_hosts.log.gz":     {KindKnownHosts, 253},
		"known_hosts.json.gz":    {KindKnownHosts, 253},
		"software.log.gz":        {KindSoftware, 376},
		"software.json.gz":       {KindSoftware, 376},
		"known_services.log.gz":  {KindKnownServices, -1},
		"known_services.json.gz": {KindKnownServices, -1},
		"notice.log.gz":          {KindOther, -1},
	}
	for _, path := range testFiles(t) {
		base := filepath.Base(path)
		w, ok := want[base]
		if !ok {
			t.Errorf("%s: not covered by this test", base)
			continue
		}
		rd, recs := readAll(t, base, openFile(t, path))
		t.Logf("%s: kind %s, %d fields, %d records", base, rd.Kind(), len(rd.Fields()), len(recs))
		if rd.Kind() != w.kind {
			t.Errorf("%s: kind %q, want %q", base, rd.Kind(), w.kind)
		}
		if w.recs >= 0 && len(recs) != w.recs {
			t.Errorf("%s: %d records, want %d", base, len(recs), w.recs)
		}
		if len(recs) == 0 || len(rd.Fields()) == 0 {
			t.Errorf("%s: no records or no fields", base)
		}
	}
}
