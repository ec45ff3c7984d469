package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/medsec/medsec/internal/testdb"
)

// TestBrowser_AgreementAndReviews opens the demo's agreement (versions,
// RACI grid, exhibits) and its review pack, and the notifications the demo
// routed through the RACI.
func TestBrowser_AgreementAndReviews(t *testing.T) {
	ctx := browser(t)
	base, pw := demoServer(t, testdb.SQLite(t), "1000")
	login(t, ctx, base, "demo-security", pw["security"])
	do(t, ctx, chromedp.Navigate(base+"/agreement"), chromedp.WaitVisible(chromedp.ID("raci-grid")))
	shot(t, ctx, "agreement")
	text := must(t, ctx, chromedp.Text(chromedp.CSS("main")))
	for _, s := range []string{"version 1", "Northstar Biomedical Services", "Vulnerability triage", "Exhibit E"} {
		if !strings.Contains(text, s) {
			t.Errorf("/agreement lacks %q", s)
		}
	}
	do(t, ctx, chromedp.Navigate(base+"/reviews"), chromedp.WaitVisible(chromedp.ID("review-pack")))
	shot(t, ctx, "reviews")
	text = must(t, ctx, chromedp.Text(chromedp.CSS("#review-pack")))
	for _, s := range []string{"Correlation coverage against milestones", "Inventory changes", "SLA adherence", "Open findings by SSVC decision and age", "Legacy devices"} {
		if !strings.Contains(text, s) {
			t.Errorf("/reviews lacks %q", s)
		}
	}
	do(t, ctx, chromedp.Navigate(base+"/notifications"), chromedp.WaitVisible(chromedp.ID("notifications-title")))
	text = must(t, ctx, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(text, "new finding") {
		t.Errorf("the demo routed no finding to security:\n%.1000s", text)
	}
}
