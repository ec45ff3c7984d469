package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/cli"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

func browser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	return ctx
}

// must runs one browser action and fails the test on error.
func must[T any](t *testing.T, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// shot keeps a screenshot of the page, for people to look at (set
// MEDSEC_SCREENSHOTS=DIR to keep them).
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf := must(t, ctx, chromedp.FullScreenshot(100))
	dir := screenshotDir(t)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name+".png"), buf, 0o644)
}

func login(t *testing.T, ctx context.Context, base, user, pw string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.Click(chromedp.ID("login-submit")),
		chromedp.WaitVisible(chromedp.ID("logout")),
	)
}

// TestBrowser_HTMWorkflow logs in, opens the asset list, filters it, opens
// an asset and logs out, in a real Chromium against the running server.
func TestBrowser_HTMWorkflow(t *testing.T) {
	ctx := browser(t)
	base, pw := demoServer(t, testdb.SQLite(t), "1000")
	login(t, ctx, base, "demo-htm", pw["htm"])
	shot(t, ctx, "dashboard")
	do(t, ctx, chromedp.Navigate(base+"/assets"), chromedp.WaitVisible(chromedp.ID("asset-table")))
	if title := must(t, ctx, chromedp.Title()); !strings.Contains(title, "Assets") {
		t.Errorf("asset list title %q", title)
	}
	if total := must(t, ctx, chromedp.Text(chromedp.CSS("h1 small"))); !strings.Contains(total, "found") {
		t.Errorf("asset count %q", total)
	}
	// Filter to one modality through the form, as a user does.
	val := must(t, ctx, chromedp.Evaluate[string](`(() => { const s = document.querySelector('#modality'); for (const o of s.options) { if (o.text === 'Infusion pump') { s.value = o.value; return o.value } } return '' })()`))
	if val == "" {
		t.Fatal("no 'Infusion pump' option in the modality filter")
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("apply"))); err != nil {
		t.Fatal(err)
	}
	if loc := must(t, ctx, chromedp.Location()); !strings.Contains(loc, "modality="+val) {
		t.Errorf("filter not applied: %s", loc)
	}
	rows := must(t, ctx, chromedp.Text(chromedp.CSS("#asset-table tbody")))
	if !strings.Contains(rows, "Infusion pump") || strings.Contains(rows, "Physiologic monitor") {
		t.Errorf("filtered rows are not all infusion pumps:\n%s", rows)
	}
	shot(t, ctx, "assets-filtered")
	first := "#asset-table tbody tr:first-child td:first-child a"
	tag := must(t, ctx, chromedp.Text(chromedp.CSS(first)))
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(first))); err != nil {
		t.Fatal(err)
	}
	if heading := must(t, ctx, chromedp.Text(chromedp.ID("asset-title"))); tag == "" || !strings.HasPrefix(heading, tag) {
		t.Errorf("opened asset %q, page heading %q", tag, heading)
	}
	if recs := must(t, ctx, chromedp.Text(chromedp.CSS("details.record summary"))); !strings.Contains(recs, "cmms") || !strings.Contains(recs, tag) {
		t.Errorf("source record summary %q", recs)
	}
	shot(t, ctx, "asset")
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("logout"))); err != nil {
		t.Fatal(err)
	}
	// After logging out, the asset list sends the browser back to login.
	do(t, ctx, chromedp.Navigate(base+"/assets"), chromedp.WaitVisible(chromedp.ID("login-submit")))
	if loc := must(t, ctx, chromedp.Location()); !strings.Contains(loc, "/login") {
		t.Errorf("after logout /assets went to %s", loc)
	}
}

// TestBrowser_ProviderScope: a provider gets 404 on an asset outside its
// contract scope, in the browser and in the API.
func TestBrowser_ProviderScope(t *testing.T) {
	ctx := browser(t)
	dsn := testdb.SQLite(t)
	base, pw := demoServer(t, dsn, "1000")
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.PartyByName(context.Background(), cli.DemoProvider)
	if err != nil {
		t.Fatal(err)
	}
	all, _, _ := st.FindAssets(context.Background(), medsec.AssetFilter{PerPage: 500})
	var outside, inside int64
	for _, a := range all {
		if _, err := st.FindAsset(context.Background(), a.ID, p.ID); err != nil {
			outside = a.ID
		} else {
			inside = a.ID
		}
	}
	if outside == 0 || inside == 0 {
		t.Fatalf("demo scope should split the assets: inside %d outside %d", inside, outside)
	}
	login(t, ctx, base, "demo-provider", pw["provider"])
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+"/assets/"+strconv.FormatInt(outside, 10)))
	if err != nil {
		t.Fatal(err)
	}
	body := must(t, ctx, chromedp.Text(chromedp.CSS("main")))
	if resp.Status != http.StatusNotFound || !strings.Contains(body, "not found") {
		t.Errorf("provider opening an out-of-scope asset: status %d, page %q", resp.Status, body)
	}
	shot(t, ctx, "provider-404")
	resp, err = chromedp.RunResponse(ctx, chromedp.Navigate(base+"/assets/"+strconv.FormatInt(inside, 10)))
	if err != nil || resp.Status != http.StatusOK {
		t.Errorf("provider opening an in-scope asset: %v %v", resp, err)
	}
	// The same through the API with the provider's token.
	u, _, _ := st.UserByName(context.Background(), "demo-provider")
	tok := auth.NewToken("msk_")
	st.CreateToken(context.Background(), medsec.System, u.ID, "e2e", auth.HashToken(tok))
	for id, want := range map[int64]int{outside: 404, inside: 200} {
		req, _ := http.NewRequest("GET", base+"/api/v1/assets/"+strconv.FormatInt(id, 10), nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("API asset %d for provider: %d, want %d (%v)", id, resp.StatusCode, want, v)
		}
	}
}

// TestBrowser_Correlation: an HTM manager checks coverage against the
// milestones, decides a candidate link in the review queue, and opens an
// asset to see why its records were linked.
func TestBrowser_Correlation(t *testing.T) {
	ctx := browser(t)
	dsn := testdb.SQLite(t)
	base, pw := demoServer(t, dsn, "3000")
	login(t, ctx, base, "demo-htm", pw["htm"])
	do(t, ctx, chromedp.Navigate(base+"/correlation"), chromedp.WaitVisible(chromedp.CSS("svg.chart-line")))
	text := must(t, ctx, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"correlated to the CMDB", "correlated to monitoring", "Milestones", "Agreement: 75%", "Networked CMMS devices never seen by monitoring"} {
		if !strings.Contains(text, want) {
			t.Errorf("correlation page lacks %q", want)
		}
	}
	shot(t, ctx, "correlation")
	do(t, ctx, chromedp.Navigate(base+"/orphans?list=unknown"), chromedp.WaitVisible(chromedp.ID("orphan-table")))
	if rows := must(t, ctx, chromedp.Text(chromedp.CSS("#orphan-table tbody"))); !strings.Contains(rows, "NET-") {
		t.Errorf("no unknown network devices listed:\n%.300s", rows)
	}
	shot(t, ctx, "orphans")
	// Review: decide the first candidate as "different devices".
	do(t, ctx, chromedp.Navigate(base+"/review"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	heading := must(t, ctx, chromedp.Text(chromedp.CSS("main h1")))
	shot(t, ctx, "review")
	if strings.Contains(heading, " 0 candidate") {
		t.Log("no candidates at this size; nothing to decide")
	} else {
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("section.review button.reject"))); err != nil {
			t.Fatal(err)
		}
		after := must(t, ctx, chromedp.Text(chromedp.CSS("main h1")))
		if after == heading {
			t.Errorf("review count unchanged after a decision: %q", after)
		}
	}
	// An asset with records from the CMDB and monitoring explains its links.
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cov, _ := st.Coverage(context.Background(), "")
	if len(cov) != 1 || cov[0].PctCMDB < 50 || cov[0].PctMon < 50 {
		t.Errorf("demo coverage = %+v", cov)
	}
	recs, _ := st.IdentRecords(context.Background())
	var asset int64
	for _, r := range recs {
		if r.System == "cmdb" && r.AssetID != 0 {
			if a, err := st.FindAsset(context.Background(), r.AssetID, 0); err == nil && a.Origin == "cmms" {
				asset = a.ID
				break
			}
		}
	}
	if asset == 0 {
		t.Fatal("no CMMS asset linked to a CMDB record in the demo")
	}
	do(t, ctx, chromedp.Navigate(base+"/assets/"+strconv.FormatInt(asset, 10)), chromedp.WaitVisible(chromedp.ID("asset-title")))
	page := must(t, ctx, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(page, "Why it is linked") || !strings.Contains(page, "cmdb") {
		t.Errorf("asset page does not explain its links:\n%s", page)
	}
	shot(t, ctx, "asset-linked")
	// The demo loads the shipped ICSMA advisories: a matched device shows
	// its findings and why they matched.
	fs, err := st.Findings(context.Background(), store.FindingFilter{Limit: 1})
	if err != nil || len(fs) == 0 {
		t.Fatalf("the demo has no findings: %v", err)
	}
	do(t, ctx, chromedp.Navigate(base+"/assets/"+strconv.FormatInt(fs[0].AssetID, 10)), chromedp.WaitVisible(chromedp.ID("findings")))
	if txt := must(t, ctx, chromedp.Text(chromedp.ID("findings"))); !strings.Contains(txt, fs[0].CVE) || !strings.Contains(txt, "vendor '") {
		t.Errorf("findings section lacks %s and its evidence:\n%.400s", fs[0].CVE, txt)
	}
	shot(t, ctx, "asset-findings")
}
