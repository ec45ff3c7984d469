package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

// TestBrowser_AssessmentChangesRisk opens the modality editor, saves a
// value and sees the asset's risk change.
func TestBrowser_AssessmentChangesRisk(t *testing.T) {
	ctx := browser(t)
	dsn := testdb.SQLite(t)
	base, pw := demoServer(t, dsn, "1000")
	st := openStore(t, dsn)
	items, _, err := st.FindAssets(context.Background(), medsec.AssetFilter{Q: "", PerPage: 500})
	if err != nil {
		t.Fatal(err)
	}
	var asset *medsec.Asset
	for _, a := range items {
		if a.ModalityCode == "infusion_pump" {
			asset = a
			break
		}
	}
	if asset == nil {
		t.Fatal("no infusion pump in the demo")
	}
	login(t, ctx, base, "demo-htm", pw["htm"])
	assetURL := base + "/assets/" + strconv.FormatInt(asset.ID, 10)
	do(t, ctx, chromedp.Navigate(assetURL), chromedp.WaitVisible(chromedp.ID("risk-score")))
	before := must(t, ctx, chromedp.Text(chromedp.ID("risk-score")))
	if pts := must(t, ctx, chromedp.Text(chromedp.ID("risk-points"))); !strings.Contains(pts, "modality Infusion pump") {
		t.Errorf("the data points do not name their source:\n%s", pts)
	}
	do(t, ctx,
		chromedp.Navigate(base+"/assess?level=modality&id="+strconv.FormatInt(asset.ModalityID, 10)),
		chromedp.WaitVisible(chromedp.ID("assess-table")),
		chromedp.SendKeys(chromedp.ID("value-care-delivery"), "1"),
		chromedp.SendKeys(chromedp.ID("reason-care-delivery"), "spares on every unit"),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("save-care-delivery"))); err != nil {
		t.Fatal(err)
	}
	if row := must(t, ctx, chromedp.Text(chromedp.ID("point-care-delivery"))); !strings.Contains(row, "spares on every unit") || !strings.Contains(row, "demo-htm") {
		t.Errorf("saved row: %s", row)
	}
	shot(t, ctx, "assess-editor")
	do(t, ctx, chromedp.Navigate(assetURL), chromedp.WaitVisible(chromedp.ID("risk-score")))
	after := must(t, ctx, chromedp.Text(chromedp.ID("risk-score")))
	b, _ := strconv.ParseFloat(before, 64)
	a, _ := strconv.ParseFloat(after, 64)
	if !(a < b) {
		t.Errorf("risk %s → %s: lowering care-delivery impact should lower it", before, after)
	}
	shot(t, ctx, "asset-risk")
	// Compensating controls from the risk panel lower the risk at once,
	// and the stored score follows without a separate rescore.
	do(t, ctx,
		chromedp.Click(chromedp.ID("ctl-segmentation")),
		chromedp.SendKeys(chromedp.ID("ctl-reason"), "moved to the pump VLAN"),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("ctl-save"))); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, chromedp.WaitVisible(chromedp.ID("risk-controls")))
	if ctl := must(t, ctx, chromedp.Text(chromedp.ID("risk-controls"))); !strings.Contains(ctl, "segmentation yes") || !strings.Contains(ctl, "moved to the pump VLAN") {
		t.Errorf("controls after saving: %s", ctl)
	}
	segmented, _ := strconv.ParseFloat(must(t, ctx, chromedp.Text(chromedp.ID("risk-score"))), 64)
	if !(segmented < a) {
		t.Errorf("risk %v → %v: segmentation should lower it", a, segmented)
	}
	if sc, err := st.AssetScoreOf(context.Background(), asset.ID); err != nil || sc.Risk != segmented {
		t.Errorf("stored score %+v %v, shown %v", sc, err, segmented)
	}
	shot(t, ctx, "asset-controls")
	// Support per model from /assess, and the model versions and runs.
	do(t, ctx,
		chromedp.Navigate(base+"/assess?level=model&id="+strconv.FormatInt(asset.ModelID, 10)),
		chromedp.WaitVisible(chromedp.ID("support-form")),
		chromedp.SetValue(chromedp.ID("support-status"), "legacy"),
		chromedp.SendKeys(chromedp.ID("support-reason"), "vendor end-of-life letter"),
	)
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("support-save"))); err != nil {
		t.Fatal(err)
	}
	if cur := must(t, ctx, chromedp.Text(chromedp.ID("support-current"))); !strings.Contains(cur, "legacy") || !strings.Contains(cur, "demo-htm") {
		t.Errorf("support after saving: %s", cur)
	}
	if runs := must(t, ctx, chromedp.Text(chromedp.ID("score-runs"))); !strings.Contains(runs, "model "+strconv.FormatInt(asset.ModelID, 10)) {
		t.Errorf("the support change's run is not listed:\n%s", runs)
	}
	shot(t, ctx, "assess-support")
	do(t, ctx, chromedp.Navigate(base+"/heatmap"), chromedp.WaitVisible(chromedp.ID("heat-impact")))
	do(t, ctx, chromedp.Navigate(base+"/lists?list=monitoring"), chromedp.WaitVisible(chromedp.ID("list-table")))
}

func openStore(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
