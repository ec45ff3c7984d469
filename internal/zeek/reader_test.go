package zeek

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

const dhcpHeader = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdhcp\n" +
	"#fields\tts\tmac\tassigned_addr\thost_name\n#types\ttime\tstring\taddr\tstring\n"

func TestErrors(t *testing.T) {
	big := strings.Repeat("a", MaxLineBytes+1)
	tests := []struct {
		name, in string
		read     func(string, io.Reader) error
		line     int
		field    string
		msg      string // substring of Error()
	}{
		{"dhcp.log", dhcpHeader + "1.0\taa:bb:cc:dd:ee:ff\t10.0.0.1\th\nabc\taa:bb:cc:dd:ee:ff\t10.0.0.1\th\n",
			presence, 9, "ts", `dhcp.log line 9, field "ts": bad timestamp "abc"`},
		{"dhcp.log", dhcpHeader + "1.0\taa:bb:cc:dd:ee:ff\t10.0.0.1\n",
			records, 8, "", "dhcp.log line 8: 3 fields, but #fields lists 4"},
		{"dhcp.log", dhcpHeader + "1.0\taa:bb:cc:dd:ee:ff\t10.0.0.999\th\n",
			presence, 8, "assigned_addr", `bad address "10.0.0.999"`},
		{"conn.json", "{\"ts\":1}\n{\"ts\":2,\n", records, 2, "", "conn.json line 2: bad JSON line"},
		{"conn.json", "{\"ts\":1}\n[1,2]\n", records, 2, "", "not a JSON object"},
		{"conn.json", "{\"ts\":1} {}\n", records, 1, "", "data after the JSON object"},
		{"x.log", "1.0\t10.0.0.1\n", records, 1, "", "x.log line 1: missing #fields header"},
		{"x.log", "#separator \\x09\n#path\tconn\n1.0\t10.0.0.1\n", records, 3, "", "missing #fields header"},
		{"x.log", "#separator \\x09\n#path\tconn\n", records, 2, "", "missing #fields header"},
		{"x.log", "#fields\ta\ta\n", records, 1, "a", "duplicate field"},
		{"conn.log", "#path\tconn\n#fields\tts\n1\n", presence, 0, "", `log kind "conn" cannot give presence`},
		{"known_hosts.log", "#path\tknown_hosts\n#fields\tts\thost\n1\t10.0.0.1\n", conns, 0, "", "not conn"},
		{"conn.log", "#fields\tts\tid.orig_h\tid.resp_h\tid.resp_p\tproto\torig_bytes\n1\t1.1.1.1\t2.2.2.2\t80\ttcp\t-5\n",
			conns, 2, "orig_bytes", "bad byte count"},
		{"conn.log", "#fields\tts\tid.orig_h\tid.resp_h\tid.resp_p\tproto\torig_bytes\n1\t1.1.1.1\t2.2.2.2\t70000\ttcp\t5\n",
			conns, 2, "id.resp_p", "bad port"},
		{"conn.log", "#path\tconn\n#fields\tts\tid.orig_h\n1\t1.1.1.1\n", conns, 3, "id.resp_h", "missing address"},
		{"big.log", "#fields\tx\n" + big + "\n", records, 2, "", "big.log line 2: line longer than 1 MiB"},
		{"big.json", big, records, 1, "", "line longer than 1 MiB"},
		{"bad.gz", "\x1f\x8bnot gzip at all", records, 0, "", "bad gzip data"},
		{"trunc.gz", string(gz(t, connTSV)[:60]), records, 0, "", "read error"},
		{"software.log", "#path\tsoftware\n#fields\tts\thost\tname\n1\t-\tx\n", software_, 3, "host", "missing host"},
	}
	for _, tt := range tests {
		err := tt.read(tt.name, strings.NewReader(tt.in))
		if err == nil {
			t.Errorf("%.60q: no error", tt.in)
			continue
		}
		ze := asError(t, err)
		if (tt.line >= 0 && ze.Line != tt.line && tt.msg != "read error") || ze.Field != tt.field || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%.60q:\n got %q (line %d field %q)\nwant %q (line %d field %q)",
				tt.in, err, ze.Line, ze.Field, tt.msg, tt.line, tt.field)
		}
	}
}

func records(name string, r io.Reader) error {
	rd, err := Open(name, r)
	if err != nil {
		return err
	}
	defer rd.Close()
	for {
		_, _, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if _, _, again := rd.Next(); again != err {
				return &Error{Msg: "error not sticky"}
			}
			return err
		}
	}
}

func presence(name string, r io.Reader) error  { _, err := ReadPresence(name, r); return err }
func software_(name string, r io.Reader) error { _, err := ReadSoftware(name, r); return err }
func conns(name string, r io.Reader) error     { _, err := AggregateConns(name, r); return err }

func TestKind(t *testing.T) {
	tests := []struct {
		name, in string
		want     Kind
	}{
		{"anything", "#path\tdhcp\n#fields\tts\n", KindDHCP},
		{"conn.log", "#path\tssh\n#fields\tts\n", KindOther}, // #path wins over the name
		{"dhcp.log", "#fields\tts\n", KindDHCP},
		{"/var/log/zeek/2024-01-01/conn.00:00:00-01:00:00.log.gz", "#fields\tts\n", KindConn},
		{`C:\logs\known_hosts.json`, `{"ts":1}`, KindKnownHosts},
		{"x__knownservices-all.log", "#fields\tts\n", KindKnownServices},
		{"software.2024-01-01.log", "#fields\tts\n", KindSoftware},
		{"upload.txt", "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tconn_state\n", KindConn},
		{"upload.txt", "#fields\tts\tmac\tassigned_addr\n", KindDHCP},
		{"upload.txt", `{"ts":1,"host":"10.0.0.1"}`, KindKnownHosts},
		{"upload.txt", `{"_path":"software","ts":1}`, KindSoftware},
		{"upload.txt", `{"ts":1,"host":"10.0.0.1","software_type":"x","name":"y"}`, KindSoftware},
		{"upload.txt", `{"ts":1,"host":"10.0.0.1","port_num":1,"port_proto":"tcp"}`, KindKnownServices},
		{"upload.txt", `{"ts":1,"host":"10.0.0.1","x":2}`, KindOther},
		{"conn.log", "", KindConn},
		{"upload.txt", "", KindOther},
	}
	for _, tt := range tests {
		rd, err := Open(tt.name, strings.NewReader(tt.in))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if rd.Kind() != tt.want {
			t.Errorf("%s %.40q: kind %q, want %q", tt.name, tt.in, rd.Kind(), tt.want)
		}
	}
}

func TestTSVValues(t *testing.T) {
	// Escaped separator, escaped "-" (a real dash, not unset), unset, empty,
	// a set, a CRLF line ending and a second header block (concatenated logs).
	in := "### BTest baseline data generated by btest-diff.\n#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n" +
		"#path\tx\n#fields\ta\tb\tc\td\te\n#types\tstring\tstring\tstring\tstring\tset[string]\n" +
		"x\\x09y\t\\x2d\t-\t(empty)\tA,B\r\n" +
		"#close\tXXXX\n#separator \\x09\n#unset_field\tNA\n#fields\tz\n" +
		"NA\n\\x\\xZZ\\x41\n"
	rd, recs := readAll(t, "x.log", strings.NewReader(in))
	want := []Record{
		{"a": "x\ty", "b": "-", "c": "", "d": "", "e": "A,B"},
		{"z": ""},
		{"z": `\x\xZZA`},
	}
	if !reflect.DeepEqual(recs, want) {
		t.Errorf("got  %q\nwant %q", recs, want)
	}
	if !reflect.DeepEqual(rd.Fields(), []string{"z"}) || rd.Kind() != KindOther {
		t.Errorf("fields %q kind %q", rd.Fields(), rd.Kind())
	}

	// The sub-opts baseline escapes a control byte in agent_remote_id.
	_, recs = readAll(t, "dhcp.log", openFile(t, "testdata/btest/scripts.base.protocols.dhcp.dhcp-sub-opts__dhcp.log"))
	if got := recs[0]["agent_remote_id"]; got != "\x13" {
		t.Errorf("agent_remote_id %q", got)
	}
}

func TestJSONValues(t *testing.T) {
	// btest's bare placeholder timestamps are made to parse.
	rd, recs := readAll(t, "ssh.log", openFile(t, "testdata/btest/scripts.base.frameworks.logging.ascii-json__ssh.log"))
	r := recs[0]
	want := map[string]string{"b": "T", "i": "-42", "t": btestTS, "d": "3.14", "ss": "CC,BB,AA", "se": "", "vn": "0,,2", "sn": "10.0.0.0/24"}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %q, want %q", k, r[k], v)
		}
	}
	if f := rd.Fields(); len(f) != 18 || f[0] != "b" || f[17] != "f" {
		t.Errorf("fields %q", f)
	}
	_, recs = readAll(t, "http.log", openFile(t, "testdata/btest/scripts.base.frameworks.logging.json-non-printable-escaping__http.log.json"))
	if recs[1]["uri"] != "/printable_😄" || recs[2]["uri"] != `/non_printable_\x07` || recs[0]["resp_mime_types"] != "text/html" {
		t.Errorf("%q %q", recs[1]["uri"], recs[2]["uri"])
	}

	// Nested objects flatten; a placeholder inside a string stays as is.
	_, recs = readAll(t, "x.json", strings.NewReader(`{"id":{"orig_h":"1.2.3.4","resp_p":80},"note":"at:XXXXXXXXXX.XXXXXX","n":null}`+"\n\n"))
	if want := (Record{"id.orig_h": "1.2.3.4", "id.resp_p": "80", "note": "at:" + btestTS, "n": ""}); !reflect.DeepEqual(recs[0], want) {
		t.Errorf("%q", recs[0])
	}
}

func TestGzipAndEmpty(t *testing.T) {
	_, plain := readAll(t, "a", strings.NewReader(connTSV))
	_, zipped := readAll(t, "a", bytes.NewReader(gz(t, connTSV)))
	if len(plain) != 7 || !reflect.DeepEqual(plain, zipped) {
		t.Errorf("gzip: %d vs %d records", len(plain), len(zipped))
	}
	for _, in := range []string{"", "\n\n", string(gz(t, ""))} {
		rd, recs := readAll(t, "dhcp.log", strings.NewReader(in))
		if len(recs) != 0 || rd.Kind() != KindDHCP {
			t.Errorf("%q: %d records, kind %q", in, len(recs), rd.Kind())
		}
		ps, err := ReadPresence("dhcp.log", strings.NewReader(in))
		if err != nil || len(ps) != 0 {
			t.Errorf("%q: %v %v", in, ps, err)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"1521911720.605656", time.Date(2018, 3, 24, 17, 15, 20, 605656000, time.UTC), false},
		{"2018-03-24T17:15:20.605656Z", time.Date(2018, 3, 24, 17, 15, 20, 605656000, time.UTC), false},
		{"1521911720605", time.Date(2018, 3, 24, 17, 15, 20, 605000000, time.UTC), false}, // TS_MILLIS
		{"1521911720", time.Date(2018, 3, 24, 17, 15, 20, 0, time.UTC), false},
		{"1.521911720605656e9", time.Date(2018, 3, 24, 17, 15, 20, 605656000, time.UTC), false},
		{"1521911720.1234567891", time.Date(2018, 3, 24, 17, 15, 20, 123456789, time.UTC), false},
		{"XXXXXXXXXX.XXXXXX", time.Time{}, false},
		{"-", time.Time{}, false},
		{"", time.Time{}, false},
		{"abc", time.Time{}, true},
		{"12.3.4", time.Time{}, true},
		{"-5", time.Time{}, true},
		{".5", time.Time{}, true},
		{"2018-13-24T17:15:20Z", time.Time{}, true},
		{"99999999999999999999", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := ParseTime(tt.in)
		if (err != nil) != tt.bad {
			t.Errorf("%q: err %v", tt.in, err)
		}
		if !tt.bad && !got.Equal(tt.want) && got.Sub(tt.want).Abs() > time.Microsecond {
			t.Errorf("%q: %v, want %v", tt.in, got, tt.want)
		}
	}
}
