package zeek

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPresenceDHCPBaselines(t *testing.T) {
	const mac = "90:b1:1c:99:49:29"
	tests := []struct {
		file     string
		mac, ip  string
		hostname string
		ips      int
		line     int
	}{
		// DISCOVER..ACK with assigned_addr, then RELEASE and INFORM without.
		{"scripts.base.protocols.dhcp.dhcp-all-msg-types__dhcp.log", mac, "128.2.6.189", "btest.is.cool", 1, 10},
		// Same client INFORMing from 63 addresses: the last one wins.
		{"scripts.base.protocols.dhcp.dhcp-prevent-large-uids__dhcp.log", mac, "128.2.4.250", "", 63, 10},
		{"scripts.base.protocols.dhcp.dhcp-sub-opts__dhcp.log", "00:0a:28:00:fa:42", "192.168.0.10", "", 1, 10},
		{"scripts.base.protocols.dhcp.inform__dhcp.log", mac, "128.2.6.122", "", 1, 10},
	}
	for _, tt := range tests {
		ps, err := ReadPresence(tt.file, openFile(t, "testdata/btest/"+tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 {
			t.Fatalf("%s: %d presences, want 1: %+v", tt.file, len(ps), ps)
		}
		p := ps[0]
		if p.MAC != tt.mac || p.IP != tt.ip || p.Hostname != tt.hostname || len(p.IPs) != tt.ips ||
			p.Source != "dhcp" || p.Line != tt.line {
			t.Errorf("%s: got %+v", tt.file, p)
		}
		if !p.FirstSeen.IsZero() || !p.LastSeen.IsZero() {
			t.Errorf("%s: btest placeholder times should be unknown, got %v / %v", tt.file, p.FirstSeen, p.LastSeen)
		}
	}
}

func TestPresenceKnownHostsTSVandJSON(t *testing.T) {
	tsv, err := ReadPresence("known_hosts.log.gz", openFile(t, "testdata/wrccdc/known_hosts.log.gz"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := ReadPresence("known_hosts.json.gz", openFile(t, "testdata/wrccdc/known_hosts.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tsv) != 253 {
		t.Fatalf("%d hosts, want 253", len(tsv))
	}
	// Lines differ (the TSV header takes 8), everything else must not.
	for i := range tsv {
		tsv[i].Line, js[i].Line = 0, 0
	}
	if !reflect.DeepEqual(tsv, js) {
		t.Fatal("TSV and JSON known_hosts give different presence")
	}
	want := time.Date(2018, 3, 24, 17, 15, 20, 607559000, time.UTC)
	for _, p := range tsv {
		if p.IP == "10.47.3.200" {
			if !p.FirstSeen.Equal(want) || !p.LastSeen.Equal(want) || p.Source != "known_hosts" || p.MAC != "" {
				t.Errorf("10.47.3.200: %+v", p)
			}
			return
		}
	}
	t.Error("10.47.3.200 not found")
}

// A device seen on three days: one Presence, first and last seen spanning them.
func TestPresenceFirstLastSeen(t *testing.T) {
	log := "#separator \\x09\n#path\tknown_hosts\n#fields\tts\thost\n#types\ttime\taddr\n" +
		"1700000100.5\t10.0.0.7\n" +
		"1700000000.25\t10.0.0.7\n" +
		"1700090000.000001\t10.0.0.7\n" +
		"1700000000\t10.0.0.8\n"
	ps, err := ReadPresence("kh", strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("%+v", ps)
	}
	p := ps[0]
	if p.IP != "10.0.0.7" || p.Line != 5 ||
		!p.FirstSeen.Equal(time.Unix(1700000000, 250000000)) ||
		!p.LastSeen.Equal(time.Unix(1700090000, 1000)) {
		t.Errorf("%+v", p)
	}
}

// Newer Zeek dhcp.log with real times; the latest lease decides IP and name.
func TestPresenceDHCPLatestWins(t *testing.T) {
	log := `{"ts":1700000500.0,"mac":"AA:BB:CC:00:11:22","assigned_addr":"10.1.1.9","host_name":"pump-7"}
{"ts":1700000000.0,"mac":"aa:bb:cc:00:11:22","assigned_addr":"10.1.1.5","client_fqdn":"old.example."}
{"ts":1700000200.0,"mac":"aa:bb:cc:00:11:33","client_addr":"10.1.1.6","client_fqdn":"mon-1.icu.example."}
{"ts":1700000300.0,"mac":null,"client_addr":"0.0.0.0"}
`
	ps, err := ReadPresence("dhcp.json", strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 2 {
		t.Fatalf("%+v", ps)
	}
	a, b := ps[0], ps[1]
	if a.MAC != "aa:bb:cc:00:11:22" || a.IP != "10.1.1.9" || a.Hostname != "pump-7" ||
		!reflect.DeepEqual(a.IPs, []string{"10.1.1.5", "10.1.1.9"}) ||
		a.FirstSeen.Unix() != 1700000000 || a.LastSeen.Unix() != 1700000500 || a.Line != 1 {
		t.Errorf("%+v", a)
	}
	if b.MAC != "aa:bb:cc:00:11:33" || b.IP != "10.1.1.6" || b.Hostname != "mon-1.icu.example" {
		t.Errorf("%+v", b)
	}
}

// Zeek before 2.6 wrote assigned_ip and no client_addr/host_name.
func TestPresenceOldDHCP(t *testing.T) {
	log := "#separator \\x09\n#path\tdhcp\n" +
		"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tmac\tassigned_ip\tlease_time\ttrans_id\n" +
		"1400000000.000000\tC1\t192.168.1.20\t68\t192.168.1.1\t67\t00:11:22:33:44:55\t192.168.1.20\t86400.000000\t12345\n"
	ps, err := ReadPresence("dhcp.log", strings.NewReader(log))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].MAC != "00:11:22:33:44:55" || ps[0].IP != "192.168.1.20" {
		t.Fatalf("%+v", ps)
	}
}

func TestPresenceWrongKind(t *testing.T) {
	_, err := ReadPresence("conn.log", openFile(t, "testdata/btest/opt.basic__conn.log"))
	ze := asError(t, err)
	if ze.File != "conn.log" || !strings.Contains(ze.Msg, `"conn"`) {
		t.Errorf("%v", err)
	}
}
