package normalize

import "testing"

func TestSerial(t *testing.T) {
	tests := []struct{ in, want string }{
		{"12345678", "12345678"},
		{" 0012-3456 ", "123456"},
		{"ab12 cd", "AB12CD"},
		{"SN-O0I1", "SN0011"},
		{"n/a", ""},
		{"Unknown", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Serial(tt.in); got != tt.want {
			t.Errorf("Serial(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if Serial("8015-0OI23") != Serial("801500123") {
		t.Error("O/0 and I/1 confusions should compare equal")
	}
}

func TestMAC(t *testing.T) {
	want := "00:09:fb:12:ab:cd"
	for _, in := range []string{"00:09:FB:12:AB:CD", "00-09-fb-12-ab-cd", "0009.fb12.abcd", "0009FB12ABCD", "00 09 FB 12 AB CD"} {
		if got := MAC(in); got != want {
			t.Errorf("MAC(%q) = %q, want %q", in, got, want)
		}
	}
	for _, in := range []string{"", "00:09:FB:12:AB", "00:09:FB:12:AB:CD:EF", "zz:09:fb:12:ab:cd", "hello"} {
		if got := MAC(in); got != "" {
			t.Errorf("MAC(%q) = %q, want empty", in, got)
		}
	}
}

func TestHostname(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ICU4W-PUMP-0123.hosp.example.org", "icu4w-pump-0123"},
		{"icu4w-pump-0123", "icu4w-pump-0123"},
		{"host.", "host"},
		{"10.1.2.3", "10.1.2.3"},
		{"FE80::1%eth0", "fe80::1%eth0"},
		{"cafe.example.org", "cafe"}, // hex letters only, yet a name
	}
	for _, tt := range tests {
		if got := Hostname(tt.in); got != tt.want {
			t.Errorf("Hostname(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIP(t *testing.T) {
	tests := []struct{ in, want string }{
		{"10.1.2.3", "10.1.2.3"},
		{" 10.1.2.3 ", "10.1.2.3"},
		{"::ffff:10.1.2.3", "10.1.2.3"},
		{"FE80:0::1", "fe80::1"},
		{"fe80::1%eth0", "fe80::1%eth0"},
		{"010.1.2.3", ""},
		{"10.1.2", ""},
		{"icu4w-mon-02", ""},
		{"cafe", ""},
		{"%eth0", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := IP(tt.in); got != tt.want {
			t.Errorf("IP(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKey(t *testing.T) {
	if Key("Dräger") != Key("Draeger") || Key("DRAEGER") != "draeger" {
		t.Errorf("Dräger should fold to draeger: %q", Key("Dräger"))
	}
	if Key("Becton, Dickinson & Co.") != "bectondickinsonco" {
		t.Errorf("Key = %q", Key("Becton, Dickinson & Co."))
	}
}

func FuzzMAC(f *testing.F) {
	for _, s := range []string{"00:09:FB:12:AB:CD", "0009.fb12.abcd", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := MAC(s)
		if m != "" && (len(m) != 17 || MAC(m) != m) {
			t.Fatalf("MAC(%q) = %q is not canonical", s, m)
		}
	})
}

func FuzzSerial(f *testing.F) {
	f.Add("SN-0012 34")
	f.Fuzz(func(t *testing.T, s string) {
		n := Serial(s)
		if Serial(n) != n {
			t.Fatalf("Serial not idempotent: %q -> %q -> %q", s, n, Serial(n))
		}
	})
}
