package zeek

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// connTSV is hand-written: 7 connections in 4 flows.
const connTSV = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n" +
	"#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\n" +
	"#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\n" +
	"1700000010.000000\tC1\t10.0.0.5\t50000\t10.0.0.9\t104\ttcp\tdicom\t1.0\t100\t2000\tSF\n" +
	"1700000000.000000\tC2\t10.0.0.5\t50001\t10.0.0.9\t104\ttcp\t-\t-\t-\t-\tS0\n" +
	"1700000020.500000\tC3\t10.0.0.5\t50002\t10.0.0.9\t104\ttcp\tdicom\t1.0\t50\t0\tSF\n" +
	"1700000005.000000\tC4\t10.0.0.5\t50003\t10.0.0.9\t2575\ttcp\thl7,ssl\t1.0\t10\t20\tSF\n" +
	"1700000006.000000\tC5\t10.0.0.5\t50004\t10.0.0.9\t2575\ttcp\tssl\t1.0\t1\t2\tSF\n" +
	"1700000007.000000\tC6\tfe80::1\t5353\tff02::fb\t5353\tudp\tdns\t-\t30\t(empty)\tS0\n" +
	"1700000001.000000\tC7\t10.0.0.2\t5353\t10.0.0.9\t104\ttcp\t-\t-\t0\t0\tREJ\n" +
	"#close\t2023-11-14-22-13-40\n"

var connWant = []Flow{
	{Src: "10.0.0.2", Dst: "10.0.0.9", DstPort: 104, Proto: "tcp", Conns: 1, Bytes: 0,
		First: time.Unix(1700000001, 0), Last: time.Unix(1700000001, 0)},
	{Src: "10.0.0.5", Dst: "10.0.0.9", DstPort: 104, Proto: "tcp", Service: "dicom", Conns: 3, Bytes: 2150,
		First: time.Unix(1700000000, 0), Last: time.Unix(1700000020, 5e8)},
	{Src: "10.0.0.5", Dst: "10.0.0.9", DstPort: 2575, Proto: "tcp", Service: "hl7,ssl", Conns: 2, Bytes: 33,
		First: time.Unix(1700000005, 0), Last: time.Unix(1700000006, 0)},
	{Src: "fe80::1", Dst: "ff02::fb", DstPort: 5353, Proto: "udp", Service: "dns", Conns: 1, Bytes: 30,
		First: time.Unix(1700000007, 0), Last: time.Unix(1700000007, 0)},
}

func checkFlows(t *testing.T, got []Flow) {
	t.Helper()
	if len(got) != len(connWant) {
		t.Fatalf("%d flows, want %d: %+v", len(got), len(connWant), got)
	}
	for i := range got {
		g, w := got[i], connWant[i]
		if !g.First.Equal(w.First) || !g.Last.Equal(w.Last) {
			t.Errorf("flow %d times %v..%v, want %v..%v", i, g.First, g.Last, w.First, w.Last)
		}
		g.First, g.Last, w.First, w.Last = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("flow %d:\ngot  %+v\nwant %+v", i, g, w)
		}
	}
}

func TestAggregateConns(t *testing.T) {
	flows, err := AggregateConns("conn.log", strings.NewReader(connTSV))
	if err != nil {
		t.Fatal(err)
	}
	checkFlows(t, flows)
}

func TestAggregateConnsGzip(t *testing.T) {
	// The name says nothing: gzip is detected by magic bytes.
	flows, err := AggregateConns("upload", bytes.NewReader(gz(t, connTSV)))
	if err != nil {
		t.Fatal(err)
	}
	checkFlows(t, flows)
}

// The same connections in Zeek's JSON form (unset fields omitted, service as
// a string) aggregate identically.
func TestAggregateConnsJSON(t *testing.T) {
	var b strings.Builder
	for _, line := range strings.Split(connTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		fmt.Fprintf(&b, `{"ts":%s,"uid":%q,"id.orig_h":%q,"id.orig_p":%s,"id.resp_h":%q,"id.resp_p":%s,"proto":%q`,
			f[0], f[1], f[2], f[3], f[4], f[5], f[6])
		if f[7] != "-" {
			fmt.Fprintf(&b, `,"service":%q`, f[7])
		}
		for i, name := range map[int]string{9: "orig_bytes", 10: "resp_bytes"} {
			if f[i] != "-" && f[i] != "(empty)" {
				fmt.Fprintf(&b, `,%q:%s`, name, f[i])
			}
		}
		b.WriteString("}\n")
	}
	flows, err := AggregateConns("conn.json", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	checkFlows(t, flows)
}

func TestAggregateConnsBaseline(t *testing.T) {
	flows, err := AggregateConns("conn.log", openFile(t, "testdata/btest/scripts.base.protocols.dhcp.dhcp-all-msg-types__conn.log"))
	if err != nil {
		t.Fatal(err)
	}
	// 4 connections, two of them 128.2.6.x -> 128.2.6.152:67 from distinct clients.
	if len(flows) != 4 || flows[0].Src != "0.0.0.0" || flows[0].Bytes != 1560 || flows[0].Service != "dhcp" {
		t.Errorf("%+v", flows)
	}
	for _, f := range flows {
		if !f.First.IsZero() || f.Conns != 1 {
			t.Errorf("%+v", f)
		}
	}
	for _, name := range []string{"opt.basic__conn.log", "core.cisco-fabric-path__conn.log"} {
		flows, err := AggregateConns(name, openFile(t, "testdata/btest/"+name))
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		for _, f := range flows {
			n += f.Conns
		}
		rd, recs := readAll(t, name, openFile(t, "testdata/btest/"+name))
		if rd.Kind() != KindConn || n != int64(len(recs)) {
			t.Errorf("%s: %d connections aggregated, %d records", name, n, len(recs))
		}
	}
}
