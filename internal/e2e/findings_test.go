package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/medsec/medsec/internal/testdb"
)

// TestBrowser_FindingTriage: a security analyst filters the findings list
// to the NVD source, opens a finding, reads why it matched, marks it a false
// positive with a reason, and sees the decision in its history; then the
// advisory list and a model page with its VEX link.
func TestBrowser_FindingTriage(t *testing.T) {
	ctx := browser(t)
	base, pw := demoServer(t, testdb.SQLite(t), "1000")
	login(t, ctx, base, "demo-security", pw["security"])
	do(t, ctx, chromedp.Navigate(base+"/findings?source=nvd"), chromedp.WaitVisible(chromedp.ID("findings")))
	if total := must(t, ctx, chromedp.Text(chromedp.CSS("h1 small"))); strings.HasPrefix(total, "0 ") {
		t.Fatalf("no NVD findings in the demo: %q", total)
	}
	shot(t, ctx, "findings")
	first := "#findings tbody tr:first-child td:nth-child(2) a"
	cve := must(t, ctx, chromedp.Text(chromedp.CSS(first)))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(first))); err != nil {
		t.Fatal(err)
	}
	if h := must(t, ctx, chromedp.Text(chromedp.CSS("h1"))); !strings.HasPrefix(h, cve) {
		t.Errorf("finding page heading %q, want %s", h, cve)
	}
	if why := must(t, ctx, chromedp.Text(chromedp.CSS("ul.evidence-list"))); !strings.Contains(why, "cpe:2.3:") {
		t.Errorf("evidence does not name the CPE that matched:\n%s", why)
	}
	// Refused without a reason, then accepted with one.
	do(t, ctx, chromedp.SetValue(chromedp.ID("to-status"), "false_positive"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#transition button[type=submit]"))); err != nil {
		t.Fatal(err)
	}
	if body := must(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, "needs a reason") {
		t.Errorf("a false positive without a reason was not refused:\n%.400s", body)
	}
	do(t, ctx, chromedp.NavigateBack(), chromedp.WaitVisible(chromedp.ID("transition")),
		chromedp.SetValue(chromedp.ID("to-status"), "false_positive"),
		chromedp.SendKeys(chromedp.CSS("#transition input[name=reason]"), "hardware revision not affected per vendor letter"))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#transition button[type=submit]"))); err != nil {
		t.Fatal(err)
	}
	if st := must(t, ctx, chromedp.Text(chromedp.ID("finding-status"))); !strings.Contains(st, "false positive") || !strings.Contains(st, "hardware revision") {
		t.Errorf("status after decision: %q", st)
	}
	if hist := must(t, ctx, chromedp.Text(chromedp.CSS("main section:last-of-type"))); !strings.Contains(hist, "demo-security") {
		t.Errorf("history does not show who decided:\n%s", hist)
	}
	shot(t, ctx, "finding")
	do(t, ctx, chromedp.Navigate(base+"/advisories"), chromedp.WaitVisible(chromedp.ID("advisories")))
	if rows := must(t, ctx, chromedp.Text(chromedp.CSS("#advisories tbody"))); !strings.Contains(rows, "ICSMA-") {
		t.Errorf("advisory list:\n%.300s", rows)
	}
	do(t, ctx, chromedp.Navigate(base+"/assets"), chromedp.WaitVisible(chromedp.ID("asset-table")))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("#asset-table tbody tr:first-child td:first-child a"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`a[href^="/models/"]`))); err != nil {
		t.Fatal(err)
	}
	if body := must(t, ctx, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(body, "OpenVEX") || !strings.Contains(body, "SBOMs") {
		t.Errorf("model page:\n%.400s", body)
	}
	shot(t, ctx, "model")
	count := must(t, ctx, chromedp.Text(chromedp.ID("model-assets")))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("model-assets"))); err != nil {
		t.Fatal(err)
	}
	n := strings.Fields(count)[0]
	if total := must(t, ctx, chromedp.Text(chromedp.CSS("h1 small"))); !strings.HasPrefix(total, n+" ") {
		t.Errorf("the model page says %q; its asset list says %q", count, total)
	}
}
