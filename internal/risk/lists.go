package risk

import (
	"context"
	"encoding/json"
	"io"
	"sort"
	"strconv"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/assess"
	"github.com/medsec/medsec/internal/export"
	"github.com/medsec/medsec/internal/store"
)

// Lists names the action lists.
var Lists = map[string]string{
	"capital":    "Capital replacement candidates",
	"mitigation": "Risk-mitigation actions",
	"monitoring": "Monitoring priority",
	"restore":    "Incident-response restore order",
}

// ListRows is one action list: asset rows (capital, monitoring, restore)
// or action rows (mitigation).
type ListRows struct {
	Name    string              `json:"list"`
	Title   string              `json:"title"`
	Assets  []assess.Ranked     `json:"assets,omitempty"`
	Actions []assess.ActionRank `json:"actions,omitempty"`
}

// List computes one action list over the scored assets in scope;
// facility limits the restore order to one facility (0: all).
func List(ctx context.Context, st *store.Store, name string, scope, facility int64) (ListRows, error) {
	out := ListRows{Name: name, Title: Lists[name]}
	switch name {
	case "capital":
		s, err := st.ScoreSummaries(ctx, store.SummaryFilter{Scope: scope, Capital: true})
		if err != nil {
			return out, err
		}
		out.Assets = assess.CapitalReplacement(s)
	case "monitoring":
		s, err := st.ScoreSummaries(ctx, store.SummaryFilter{Scope: scope})
		if err != nil {
			return out, err
		}
		out.Assets = assess.MonitoringPriority(s)
	case "restore":
		s, err := st.ScoreSummaries(ctx, store.SummaryFilter{Scope: scope, FacilityID: facility})
		if err != nil {
			return out, err
		}
		out.Assets = assess.RestoreOrder(s)
	case "mitigation":
		acts, err := st.RiskActions(ctx, scope)
		if err != nil {
			return out, err
		}
		sort.SliceStable(acts, func(i, j int) bool {
			a, b := acts[i], acts[j]
			if a.PerAsset != b.PerAsset {
				return a.PerAsset > b.PerAsset
			}
			if a.RiskRemoved != b.RiskRemoved {
				return a.RiskRemoved > b.RiskRemoved
			}
			return a.ID < b.ID
		})
		out.Actions = make([]assess.ActionRank, len(acts))
		for i, a := range acts {
			out.Actions[i] = assess.ActionRank{Rank: i + 1, ID: a.ID, Title: a.Title, AssetsTouched: a.AssetsTouched, RiskRemoved: a.RiskRemoved, PerAsset: a.PerAsset,
				Why: "removes " + f2(a.RiskRemoved) + " risk points across " + strconv.Itoa(a.AssetsTouched) + " assets: " + f2(a.PerAsset) + " per asset touched (" + a.Kind + ")"}
		}
	default:
		return out, medsec.Errorf(medsec.ENOTFOUND, "Unknown list %q; use capital, mitigation, monitoring or restore.", name)
	}
	if out.Assets == nil && name != "mitigation" {
		out.Assets = []assess.Ranked{}
	}
	if out.Actions == nil && name == "mitigation" {
		out.Actions = []assess.ActionRank{}
	}
	return out, nil
}

func f2(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// Header and Records give the list as spreadsheet rows.
func (l *ListRows) Header() []string {
	if l.Name == "mitigation" {
		return []string{"rank", "action", "title", "assets_touched", "risk_removed", "per_asset", "why"}
	}
	return []string{"rank", "group", "asset_id", "equipment_id", "facility", "score", "why"}
}

// Records are the list's rows as text.
func (l *ListRows) Records() [][]string {
	var out [][]string
	for _, a := range l.Actions {
		out = append(out, []string{strconv.Itoa(a.Rank), a.ID, a.Title, strconv.Itoa(a.AssetsTouched), f2(a.RiskRemoved), f2(a.PerAsset), a.Why})
	}
	for _, a := range l.Assets {
		out = append(out, []string{strconv.Itoa(a.Rank), a.Group, strconv.FormatInt(a.AssetID, 10), a.Tag, a.Facility, f2(a.Score), a.Why})
	}
	return out
}

// Write writes the list as csv (formula-safe), xlsx (formula-safe) or json.
func (l *ListRows) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(l)
	case "csv", "":
		cw := export.NewCSV(w)
		cw.Write(l.Header())
		for _, r := range l.Records() {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
		return cw.Flush()
	case "xlsx":
		x, err := export.NewXLSX(l.Name)
		if err != nil {
			return err
		}
		x.Write(l.Header())
		for _, r := range l.Records() {
			if err := x.Write(r); err != nil {
				return err
			}
		}
		_, err = x.WriteTo(w)
		return err
	}
	return medsec.Errorf(medsec.EINVALID, "Unknown format %q; use csv, xlsx or json.", format)
}
