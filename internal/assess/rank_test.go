package assess

import (
	"strings"
	"testing"
)

func fleet() []AssetSummary {
	return []AssetSummary{
		{AssetID: 1, Tag: "VENT-1", Facility: "Main", Clinical: 90, ClinicalTier: TierCritical, Risk: 75, RiskTier: TierCritical, Support: Supported, Acuity: AcuityICU, CareDelivery: 5, OpenFindings: 2},
		{AssetID: 2, Tag: "CT-1", Facility: "Main", Clinical: 70, ClinicalTier: TierHigh, Risk: 55, RiskTier: TierHigh, Support: Legacy, AgeYears: 14, Acuity: AcuityED, CareDelivery: 5, NoFixFindings: 3},
		{AssetID: 3, Tag: "PUMP-1", Facility: "Main", Clinical: 60, ClinicalTier: TierHigh, Risk: 40, RiskTier: TierMedium, Support: EndOfSupport, AgeYears: 9, Acuity: AcuityInpatient, CareDelivery: 3, KEVFindings: 1, ObservedLateral: 4},
		{AssetID: 4, Tag: "SCALE-1", Facility: "North", Clinical: 10, ClinicalTier: TierLow, Risk: 5, RiskTier: TierLow, Support: Supported, Acuity: AcuityOutpatient, CareDelivery: 1},
		{AssetID: 5, Tag: "MON-1", Facility: "North", Clinical: 65, ClinicalTier: TierHigh, Risk: 35, RiskTier: TierMedium, Support: Supported, AgeYears: 11, NoFixFindings: 1, Acuity: AcuityICU, CareDelivery: 4, LateralDisagree: true, ObservedLateral: 5},
		{AssetID: 6, Tag: "PUMP-2", Facility: "Main", Clinical: 60, ClinicalTier: TierHigh, Risk: 60, RiskTier: TierHigh, Support: EndOfSupport, AgeYears: 9, Acuity: AcuityInpatient, CareDelivery: 3},
	}
}

func ids(rows []Ranked) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.AssetID)
	}
	return out
}

func eq(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestCapitalReplacement(t *testing.T) {
	rows := CapitalReplacement(fleet())
	if got := ids(rows); !eq(got, []int64{2, 6, 3, 5}) {
		t.Fatalf("order %v", got)
	}
	if rows[0].Rank != 1 || !strings.Contains(rows[0].Why, "legacy") || !strings.Contains(rows[0].Why, "3 open findings with no fix") {
		t.Errorf("%+v", rows[0])
	}
	if !strings.Contains(rows[3].Why, "11 years old") {
		t.Errorf("%+v", rows[3])
	}
}

func TestRankMitigations(t *testing.T) {
	rows := RankMitigations([]Action{
		{ID: "A", Title: "Patch pumps", Effects: []ActionEffect{{1, 60, 30}, {2, 50, 30}, {3, 40, 35}}}, // 55 over 3
		{ID: "B", Title: "Segment CT", Effects: []ActionEffect{{4, 70, 40}}},                            // 30 over 1
		{ID: "C", Title: "NAC", Effects: []ActionEffect{{5, 20, 25}, {6, 40, 10}, {6, 40, 20}}},         // 0 + 30 over 2
		{ID: "D", Title: "Nothing", Effects: nil},
	})
	if rows[0].ID != "B" || rows[1].ID != "A" || rows[2].ID != "C" || rows[3].ID != "D" {
		t.Fatalf("%+v", rows)
	}
	if rows[1].RiskRemoved != 55 || rows[1].AssetsTouched != 3 || rows[1].PerAsset != 18.33 || !strings.Contains(rows[1].Why, "18.33 per asset") {
		t.Errorf("%+v", rows[1])
	}
	if rows[2].RiskRemoved != 30 || rows[2].AssetsTouched != 2 {
		t.Errorf("%+v", rows[2])
	}
}

func TestMonitoringPriority(t *testing.T) {
	rows := MonitoringPriority(fleet())
	got := map[int64]string{}
	for _, r := range rows {
		got[r.AssetID] = r.Group
	}
	want := map[int64]string{1: "P1", 3: "P1", 6: "P2", 2: "P2", 5: "P2", 4: "P4"}
	for id, g := range want {
		if got[id] != g {
			t.Errorf("asset %d in %s, want %s", id, got[id], g)
		}
	}
	if !eq(ids(rows), []int64{1, 3, 6, 2, 5, 4}) {
		t.Errorf("order %v", ids(rows))
	}
	if !strings.Contains(rows[1].Why, "KEV") {
		t.Errorf("%+v", rows[1])
	}
}

func TestRestoreOrder(t *testing.T) {
	rows := RestoreOrder(fleet())
	if !eq(ids(rows), []int64{1, 2, 3, 6, 5, 4}) {
		t.Fatalf("order %v", ids(rows))
	}
	if rows[0].Rank != 1 || rows[3].Rank != 4 || rows[4].Rank != 1 || rows[4].Facility != "North" {
		t.Errorf("ranks %+v", rows)
	}
	if !strings.Contains(rows[0].Why, "care stops") || !strings.Contains(rows[0].Why, "icu acuity") {
		t.Errorf("%+v", rows[0])
	}
}
