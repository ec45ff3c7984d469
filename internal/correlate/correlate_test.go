package correlate

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/medsec/medsec/internal/normalize"
)

var now = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

// together reports whether all ids sit in one cluster of res.
func together(res Result, ids ...int64) bool {
	for _, c := range res.Clusters {
		if slices.Contains(c.Records, ids[0]) {
			for _, id := range ids[1:] {
				if !slices.Contains(c.Records, id) {
					return false
				}
			}
			return true
		}
	}
	return false
}

func inReview(res Result, a, b int64) *Candidate {
	for i, c := range res.Review {
		if c.A == min(a, b) && c.B == max(a, b) {
			return &res.Review[i]
		}
	}
	return nil
}

func findLink(res Result, a, b int64) *Link {
	for _, c := range res.Clusters {
		for i, l := range c.Links {
			if l.A == min(a, b) && l.B == max(a, b) {
				return &c.Links[i]
			}
		}
	}
	return nil
}

// checkPartition asserts every record is in exactly one cluster.
func checkPartition(t *testing.T, recs []Record, res Result) {
	t.Helper()
	seen := map[int64]int{}
	for _, c := range res.Clusters {
		if !slices.IsSorted(c.Records) {
			t.Errorf("cluster records not sorted: %v", c.Records)
		}
		for _, id := range c.Records {
			seen[id]++
		}
	}
	for _, r := range recs {
		if seen[r.ID] != 1 {
			t.Errorf("record %d is in %d clusters", r.ID, seen[r.ID])
		}
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name     string
		recs     []Record
		together [][]int64
		apart    [][2]int64
		review   [][2]int64 // must be in the review queue
	}{
		{
			name: "different serials of the same manufacturer never link, even with hostname and IP",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: "12345678", Manufacturer: "BD", Model: "Alaris PC Unit", Hostname: "icu-pump-0001", IP: "10.0.0.5"},
				{ID: 2, Source: CMDB, Serial: "87654321", Manufacturer: "Becton Dickinson", Model: "8015", Hostname: "icu-pump-0001", IP: "10.0.0.5"},
			},
			apart: [][2]int64{{1, 2}},
		},
		{
			name: "different MACs never link, even with hostname and IP",
			recs: []Record{
				{ID: 1, Source: CMDB, MAC: "00:09:fb:00:00:01", Hostname: "icu-mon-0001", IP: "10.0.0.7", LastSeen: now},
				{ID: 2, Source: Monitoring, MAC: "00:09:fb:00:00:02", Hostname: "icu-mon-0001", IP: "10.0.0.7", LastSeen: now},
			},
			apart: [][2]int64{{1, 2}},
		},
		{
			name: "O/0 and I/1 typo links through normalisation",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: normalize.Serial("SN1O2345I"), Manufacturer: "Philips"},
				{ID: 2, Source: Monitoring, Serial: normalize.Serial("SN1023451"), Manufacturer: "Philips Medical Systems", MAC: "00:09:fb:00:00:03"},
			},
			together: [][]int64{{1, 2}},
		},
		{
			name: "dropped character links when maker and model agree",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: "US12304567", Manufacturer: "Philips", Model: "IntelliVue MX800"},
				{ID: 2, Source: Monitoring, Serial: "US1234567", Manufacturer: "Philips", Model: "IntelliVue MX800", MAC: "00:09:fb:00:00:04"},
			},
			together: [][]int64{{1, 2}},
		},
		{
			name: "one substituted digit is another device of the same batch",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: "24226351", Manufacturer: "BD", Model: "Alaris PC Unit"},
				{ID: 2, Source: CMDB, Serial: "24226356", Manufacturer: "BD", Model: "Alaris PC Unit", MAC: "00:21:9b:00:00:01"},
			},
			apart: [][2]int64{{1, 2}},
		},
		{
			name: "FQDN and short hostname with a recent IP link",
			recs: []Record{
				{ID: 1, Source: CMDB, Hostname: normalize.Hostname("ICU4W-VENT-0042.umc.hosp.example.org"), IP: "10.1.2.3", LastSeen: now},
				{ID: 2, Source: Monitoring, Hostname: normalize.Hostname("icu4w-vent-0042"), IP: "10.1.2.3", LastSeen: now.Add(-48 * time.Hour)},
			},
			together: [][]int64{{1, 2}},
		},
		{
			name: "NIC vendor manufacturer is not a disagreement",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: "12345678", Manufacturer: "CareFusion 303, Inc.", Model: "Alaris PC"},
				{ID: 2, Source: CMDB, Serial: "12345678", Manufacturer: "Lantronix", MAC: "00:80:a3:00:00:01"},
			},
			together: [][]int64{{1, 2}},
		},
		{
			name: "DHCP reuse: same IP, different MACs, not linked nor reviewed",
			recs: []Record{
				{ID: 1, Source: CMDB, MAC: "00:21:9b:00:00:10", IP: "10.1.4.104", LastSeen: now.AddDate(0, 0, -3)},
				{ID: 2, Source: Monitoring, MAC: "00:21:9b:00:00:11", IP: "10.1.4.104", LastSeen: now},
			},
			apart: [][2]int64{{1, 2}},
		},
		{
			name: "CMDB duplicate of one device joins the same cluster",
			recs: []Record{
				{ID: 1, Source: CMMS, Key: "UMC-000001", AssetTag: "UMC-000001", Serial: "AF1234567", Manufacturer: "ZOLL", MAC: "00:11:22:33:44:55"},
				{ID: 2, Source: CMDB, Serial: "AF1234567", MAC: "00:11:22:33:44:55", IP: "10.2.0.9", LastSeen: now},
				{ID: 3, Source: CMDB, MAC: "00:11:22:33:44:55", IP: "10.2.0.77", LastSeen: now},
				{ID: 4, Source: Monitoring, MAC: "00:11:22:33:44:55", IP: "10.2.0.77", LastSeen: now},
				{ID: 5, Source: CMDB, AssetTag: "UMC-000001"},
			},
			together: [][]int64{{1, 2, 3, 4, 5}},
		},
		{
			name: "two CMMS records never merge automatically but go to review",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: "SD12345678WA", Manufacturer: "GE Healthcare"},
				{ID: 2, Source: CMMS, Serial: "SD12345678WA", Manufacturer: "GEHC"},
			},
			apart:  [][2]int64{{1, 2}},
			review: [][2]int64{{1, 2}},
		},
		{
			name: "conflicts hold transitively: a record cannot bridge two CMMS devices",
			recs: []Record{
				{ID: 1, Source: CMMS, Serial: "11111111", Manufacturer: "BD", MAC: "00:21:9b:00:00:21"},
				{ID: 2, Source: CMMS, Serial: "22222222", Manufacturer: "BD"},
				{ID: 3, Source: Monitoring, Serial: "22222222", MAC: "00:21:9b:00:00:21"},
			},
			apart: [][2]int64{{1, 2}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Run(tt.recs, nil, DefaultConfig())
			checkPartition(t, tt.recs, res)
			for _, ids := range tt.together {
				if !together(res, ids...) {
					t.Errorf("%v not in one cluster: %s", ids, dump(res))
				}
			}
			for _, p := range tt.apart {
				if together(res, p[0], p[1]) {
					t.Errorf("%v linked: %s", p, dump(res))
				}
			}
			for _, p := range tt.review {
				if inReview(res, p[0], p[1]) == nil {
					t.Errorf("%v not in review: %s", p, dump(res))
				}
			}
			for _, c := range res.Clusters {
				for _, l := range c.Links {
					if len(l.Evidence) == 0 || l.A >= l.B {
						t.Errorf("link %d-%d unexplained or unordered", l.A, l.B)
					}
				}
			}
		})
	}
}

func dump(res Result) string {
	var b strings.Builder
	for _, c := range res.Clusters {
		fmt.Fprintf(&b, "\n%v", c.Records)
		for _, l := range c.Links {
			fmt.Fprintf(&b, "\n  %d-%d %.1f %+v", l.A, l.B, l.Weight, l.Evidence)
		}
	}
	for _, c := range res.Review {
		fmt.Fprintf(&b, "\nreview %d-%d %.1f %+v", c.A, c.B, c.Weight, c.Evidence)
	}
	return b.String()
}

func TestEvidenceNotes(t *testing.T) {
	recs := []Record{
		{ID: 1, Source: CMMS, Serial: "12345678", Manufacturer: "BD"},
		{ID: 2, Source: CMDB, Serial: "12345678", Manufacturer: "Lantronix", MAC: "00:80:a3:00:00:01"},
	}
	l := findLink(Run(recs, nil, DefaultConfig()), 1, 2)
	if l == nil {
		t.Fatal("not linked")
	}
	var nic, serial bool
	for _, ev := range l.Evidence {
		nic = nic || ev.Field == "manufacturer" && ev.Weight == 0 && ev.Note == noteNIC
		serial = serial || ev.Field == "serial" && ev.Agree && ev.Weight > 19
	}
	if !nic || !serial || l.Confidence <= 0.9 || l.Confidence > 1 {
		t.Errorf("evidence %+v confidence %v", l.Evidence, l.Confidence)
	}
}

func TestDecisions(t *testing.T) {
	mac := "00:09:fb:00:00:09"
	recs := []Record{
		{ID: 1, Source: CMMS, Serial: "US11111111", Manufacturer: "Philips"},
		{ID: 2, Source: Monitoring, MAC: "00:09:fb:00:00:01"},
		{ID: 3, Source: CMMS, Serial: "US22222222", Manufacturer: "Philips", MAC: mac},
		{ID: 4, Source: CMDB, MAC: mac},
		{ID: 5, Source: Monitoring, MAC: mac},
		{ID: 6, Source: CMDB, MAC: "00:09:fb:00:00:06"},
		{ID: 7, Source: Monitoring, MAC: "00:09:fb:00:00:06"},
	}
	cfg := DefaultConfig()
	t.Run("confirm links unrelated records", func(t *testing.T) {
		res := Run(recs, []Decision{{A: 2, B: 1, Kind: Confirm, By: "htm1", Reason: "checked on site"}}, cfg)
		l := findLink(res, 1, 2)
		if l == nil || !l.Decided || l.Confidence != 1 {
			t.Fatalf("confirm not applied: %s", dump(res))
		}
		if last := l.Evidence[len(l.Evidence)-1]; !strings.Contains(last.Note, "htm1") {
			t.Errorf("decision not explained: %+v", last)
		}
	})
	t.Run("reject splits a MAC link", func(t *testing.T) {
		res := Run(recs, []Decision{{A: 3, B: 4, Kind: Reject}}, cfg)
		if together(res, 3, 4) || !together(res, 3, 5) {
			t.Errorf("reject not applied: %s", dump(res))
		}
		if inReview(res, 3, 4) != nil {
			t.Error("rejected pair in review")
		}
	})
	t.Run("merge two clusters with one confirm", func(t *testing.T) {
		res := Run(recs, []Decision{{A: 7, B: 3, Kind: Confirm}}, cfg)
		if !together(res, 3, 4, 5, 6, 7) {
			t.Errorf("merge failed: %s", dump(res))
		}
	})
	t.Run("confirm overrides the two-CMMS rule", func(t *testing.T) {
		res := Run(recs, []Decision{{A: 1, B: 3, Kind: Confirm}}, cfg)
		if !together(res, 1, 3, 4, 5) {
			t.Errorf("confirm of two CMMS records not applied: %s", dump(res))
		}
	})
	t.Run("reject wins over contradicting confirms", func(t *testing.T) {
		ds := []Decision{{A: 1, B: 2, Kind: Confirm}, {A: 2, B: 6, Kind: Confirm}, {A: 1, B: 6, Kind: Reject}}
		res := Run(recs, ds, cfg)
		if together(res, 1, 6) || !together(res, 1, 2) {
			t.Errorf("reject did not win: %s", dump(res))
		}
		if c := inReview(res, 2, 6); c == nil || !strings.Contains(c.Evidence[len(c.Evidence)-1].Note, "reject wins") {
			t.Errorf("dropped confirm not queued for review: %s", dump(res))
		}
	})
	t.Run("confirm and reject on the same pair: reject wins", func(t *testing.T) {
		res := Run(recs, []Decision{{A: 6, B: 7, Kind: Confirm}, {A: 7, B: 6, Kind: Reject}}, cfg)
		if together(res, 6, 7) {
			t.Errorf("reject did not win: %s", dump(res))
		}
	})
	t.Run("unknown ids and kinds are ignored", func(t *testing.T) {
		res := Run(recs, []Decision{{A: 99, B: 1, Kind: Confirm}, {A: 1, B: 1, Kind: Reject}, {A: 1, B: 2, Kind: "maybe"}}, cfg)
		checkPartition(t, recs, res)
		if together(res, 1, 2) {
			t.Error("bogus decision applied")
		}
	})
}

func TestOversizeBlock(t *testing.T) {
	var recs []Record
	for i := 0; i < 3*MaxBlock; i++ {
		recs = append(recs, Record{ID: int64(i + 1), Source: Monitoring, IP: "10.0.0.1", Hostname: "iphone",
			Serial: "SN000000", MAC: fmt.Sprintf("da:a1:19:00:%02x:%02x", i/256, i%256), LastSeen: now})
	}
	recs = append(recs, Record{ID: 1000, Source: CMDB, MAC: "da:a1:19:00:00:05", IP: "10.0.0.1", Hostname: "iphone", LastSeen: now})
	res := Run(recs, nil, DefaultConfig())
	checkPartition(t, recs, res)
	if len(res.Clusters) != len(recs)-1 || !together(res, 6, 1000) {
		t.Fatalf("want one pair and singletons, got %d clusters", len(res.Clusters))
	}
	for _, ev := range findLink(res, 6, 1000).Evidence {
		if (ev.Field == "ip" || ev.Field == "hostname") && (ev.Weight != 0 || ev.Note != noteCommon) {
			t.Errorf("common value counted: %+v", ev)
		}
	}
	if len(res.Review) != 0 {
		t.Errorf("oversize block produced review candidates: %d", len(res.Review))
	}
}

func TestNonMedical(t *testing.T) {
	recs := []Record{
		{ID: 1, Source: CMDB, MAC: "f8:bc:12:00:00:01", Class: "cmdb_ci_computer", Manufacturer: "Dell Inc."},
		{ID: 2, Source: Monitoring, MAC: "f8:bc:12:00:00:01", Class: "Workstation", Manufacturer: "Dell Inc."},
		{ID: 3, Source: CMMS, MAC: "00:0e:8c:00:00:01", Class: "CT Scanner", Manufacturer: "Siemens"},
		{ID: 4, Source: CMDB, MAC: "00:0e:8c:00:00:01", Class: "cmdb_ci_computer"},
		{ID: 5, Source: Monitoring, MAC: "f0:18:98:00:00:01", Class: "Smartphone"},
		{ID: 6, Source: Monitoring, MAC: "da:a1:19:00:00:01", Class: "Unknown"},
		{ID: 7, Source: CMDB, MAC: "00:1b:54:00:00:01", Class: "cmdb_ci_win_server"},
	}
	res := Run(recs, nil, DefaultConfig())
	want := map[int64]string{1: "workstation (cmdb_ci_computer)", 2: "workstation (cmdb_ci_computer)",
		5: "personal device (smartphone)", 7: "server (cmdb_ci_win_server)"}
	if !reflect.DeepEqual(res.NonMedical, want) {
		t.Errorf("NonMedical = %v, want %v", res.NonMedical, want)
	}
}

func TestDegenerateInput(t *testing.T) {
	cfg := DefaultConfig()
	if res := Run(nil, nil, cfg); len(res.Clusters) != 0 || len(res.Review) != 0 {
		t.Errorf("Run(nil) = %+v", res)
	}
	recs := []Record{{ID: 5}, {ID: -1, Source: "weird"}, {ID: 5, Source: CMMS}, {ID: 0, Serial: "N/A", MAC: "zz", IP: "x", Hostname: "10.0.0.1"}}
	res := Run(recs, []Decision{{A: 5, B: 0, Kind: Confirm}}, Config{})
	n := 0
	for _, c := range res.Clusters {
		n += len(c.Records)
	}
	if n != len(recs) {
		t.Errorf("records in clusters = %d, want %d", n, len(recs))
	}
	keyIndexOf(recs).Neighbours(nil, -1)
}

func TestDeterministic(t *testing.T) {
	d := loadDemo(t, 500)
	a := Run(d.recs, nil, DefaultConfig())
	shuffled := slices.Clone(d.recs)
	slices.Reverse(shuffled)
	b := Run(shuffled, nil, DefaultConfig())
	if !reflect.DeepEqual(a, b) {
		t.Error("result depends on input order")
	}
}
