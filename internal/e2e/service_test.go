package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/medsec/medsec/internal/testdb"
)

// TestBrowser_ServiceAndSLA: an HTM manager opens the SLA report of last
// month and sees the chart, the summary and explained breaches, then the
// work-order list, and one work order with its clock timelines.
func TestBrowser_ServiceAndSLA(t *testing.T) {
	ctx := browser(t)
	base, pw := demoServer(t, testdb.SQLite(t), "1000")
	login(t, ctx, base, "demo-htm", pw["htm"])
	last := time.Now().UTC().AddDate(0, 0, -time.Now().UTC().Day()).Format("2006-01")
	do(t, ctx, chromedp.Navigate(base+"/sla?month="+last), chromedp.WaitVisible(chromedp.ID("sla-summary")))
	if title := must(t, ctx, chromedp.Title()); !strings.Contains(title, "SLA report") {
		t.Errorf("SLA page title %q", title)
	}
	summary := must(t, ctx, chromedp.Text(chromedp.CSS("#sla-summary tbody")))
	if !strings.Contains(summary, "device_down") || !strings.Contains(summary, "pm_completion") {
		t.Errorf("SLA summary lacks event types:\n%s", summary)
	}
	if n := must(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('#sla-chart svg').length`)); n != 1 {
		t.Errorf("SLA chart: %d svg", n)
	}
	breaches := must(t, ctx, chromedp.Text(chromedp.CSS("#breaches tbody")))
	if !strings.Contains(breaches, "BREACHED at") {
		t.Errorf("no explained breach in last month's report:\n%.500s", breaches)
	}
	shot(t, ctx, "sla")
	do(t, ctx, chromedp.Navigate(base+"/workorders"), chromedp.WaitVisible(chromedp.ID("workorders")))
	rows := must(t, ctx, chromedp.Text(chromedp.CSS("#workorders tbody")))
	if !strings.Contains(rows, "PM") || strings.Contains(rows, "No work orders") {
		t.Errorf("work-order list:\n%.500s", rows)
	}
	shot(t, ctx, "workorders")
	first := "#workorders tbody tr:first-child td:first-child a"
	key := must(t, ctx, chromedp.Text(chromedp.CSS(first)))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(first))); err != nil {
		t.Fatal(err)
	}
	if h := must(t, ctx, chromedp.Text(chromedp.ID("wo-title"))); !strings.Contains(h, key) {
		t.Errorf("opened %q, heading %q", key, h)
	}
	if n := must(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll('svg.clock-timeline').length`)); n == 0 {
		t.Errorf("work order %s shows no clock timeline", key)
	}
	shot(t, ctx, "workorder")
	do(t, ctx, chromedp.Navigate(base+"/service"), chromedp.WaitVisible(chromedp.ID("service-kpis")))
	if txt := must(t, ctx, chromedp.Text(chromedp.ID("compliance-modality"))); !strings.Contains(txt, "Infusion pump") {
		t.Errorf("service overview lacks compliance by modality:\n%.300s", txt)
	}
	shot(t, ctx, "service")
}
