package zeek

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSoftwareTSVandJSON(t *testing.T) {
	tsv, err := ReadSoftware("software.log.gz", openFile(t, "testdata/wrccdc/software.log.gz"))
	if err != nil {
		t.Fatal(err)
	}
	js, err := ReadSoftware("software.json.gz", openFile(t, "testdata/wrccdc/software.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tsv) != 376 || len(js) != 376 {
		t.Fatalf("%d / %d entries, want 376", len(tsv), len(js))
	}
	for i := range tsv {
		tsv[i].Line, js[i].Line = 0, 0
		if !reflect.DeepEqual(tsv[i], js[i]) {
			t.Fatalf("entry %d differs:\nTSV  %+v\nJSON %+v", i, tsv[i], js[i])
		}
	}
	find := func(host, name string) Software {
		for _, s := range tsv {
			if s.Host == host && s.Name == name {
				return s
			}
		}
		t.Fatalf("%s %s not found", host, name)
		return Software{}
	}
	for _, c := range []struct{ host, name, version string }{
		{"10.47.4.156", "Wget", "1.13.4-linux-gnu"},
		{"10.47.3.218", "SharePoint", "15.0.0.4420"},
		{"10.47.8.20", "Apache", "2.4.29-Unix"},
		{"10.164.94.120", "MSIE", "8.0"},
		{"10.47.27.80", "Apache", ""}, // bare "Apache" banner: no version
		{"10.47.4.100", "Debian APT-HTTP", "1.3-1.0.9.8.4"},
	} {
		found := false
		for _, s := range tsv {
			found = found || s.Host == c.host && s.Name == c.name && s.Version == c.version
		}
		if !found {
			t.Errorf("%s %s: no entry with version %q", c.host, c.name, c.version)
		}
	}
	s := find("10.47.3.218", "SharePoint")
	if s.Port != 80 || s.Type != "HTTP::APPSERVER" ||
		!s.At.Equal(time.Date(2018, 3, 24, 17, 15, 20, 683005000, time.UTC)) {
		t.Errorf("%+v", s)
	}
}

func TestSoftwareBaselines(t *testing.T) {
	sw, err := ReadSoftware("software.log", openFile(t, "testdata/btest/scripts.policy.protocols.http.flash-version__software.log"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range sw {
		got = append(got, s.Host+" "+s.Name+" "+s.Version)
		if !s.At.IsZero() {
			t.Errorf("placeholder time not zero: %v", s.At)
		}
	}
	want := []string{"192.168.2.76 AdobeAIR 2.6", "192.168.2.76 AdobeAIR-Flash 10.2.159.1", "208.85.41.42 Apache "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}

	sw, err = ReadSoftware("software.log", openFile(t, "testdata/btest/scripts.policy.frameworks.software.version-changes__software.log"))
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, s := range sw {
		got = append(got, s.Version)
	}
	if want := []string{"1.0.0", "1.1.0", "1.2.0", "1.3.0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSoftwareBadVersion(t *testing.T) {
	log := "#separator \\x09\n#path\tsoftware\n#fields\tts\thost\tname\tversion.major\n" +
		"1.0\t10.0.0.1\tx\tseven\n"
	_, err := ReadSoftware("software.log", strings.NewReader(log))
	if ze := asError(t, err); ze.Line != 4 || ze.Field != "version.major" {
		t.Errorf("%v", err)
	}
}
