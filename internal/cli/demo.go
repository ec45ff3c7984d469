package cli

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/advisorydata"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/linker"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/vuln"
)

// DemoProvider is the service provider party the demo creates.
const DemoProvider = "Northstar Biomedical Services"

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "demo", "demo [--assets N] [--seed S] [--out DIR] [--no-serve] [--listen ADDR] [--db DSN]")
	n := fs.Int("assets", 5000, "number of medical devices to generate (100 to 1,000,000)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same health system")
	out := fs.String("out", "medsec-demo", "directory for the generated exports")
	noServe := fs.Bool("no-serve", false, "load the demo and exit instead of serving it")
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve on")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 0, ""); err != nil {
		return err
	}
	if *n < 100 || *n > 1_000_000 {
		return medsec.Errorf(medsec.EINVALID, "--assets must be from 100 to 1,000,000 (got %d)", *n)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	start := time.Now()
	sum, err := demo.Generate(demo.Config{Assets: *n, Seed: *seed, Now: time.Now().UTC()}, *out)
	if err != nil {
		return fmt.Errorf("generate demo: %w", err)
	}
	fmt.Fprintf(env.Stdout, "generated a health system of %d devices in %s (%.1fs)\n", *n, *out, time.Since(start).Seconds())
	fmt.Fprintf(env.Stdout, "  %d facilities, %d beds, %d networked devices, %d CMDB CIs, %d monitoring records\n", sum.Facilities, sum.Beds, sum.Networked, sum.CMDBRows, sum.MonitoringRows)
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	t := time.Now()
	res, err := importFile(ctx, env, st, "cmms", filepath.Join(*out, "cmms_equipment.csv"), importer.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported the CMMS equipment list: %d rows, %d new, %d changed (%.1fs)\n", res.Batch.Rows, res.Batch.New, res.Batch.Changed, time.Since(t).Seconds())
	for _, src := range []struct{ system, file, name string }{{"cmdb", demo.FileCMDB, "ServiceNow"}, {"monitoring", demo.FileMonitoring, "passive monitoring"}} {
		t = time.Now()
		res, err := importFile(ctx, env, st, src.system, filepath.Join(*out, src.file), importer.Options{SystemName: src.name})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "imported the %s export: %d rows, %d new (%.1fs)\n", src.system, res.Batch.Rows, res.Batch.New, time.Since(t).Seconds())
	}
	linked, err := linker.Run(ctx, st, medsec.System, linker.Options{})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, linked)
	if err := demoTargets(ctx, st); err != nil {
		return err
	}
	// Real CISA ICSMA advisories, shipped in the binary, so the demo has
	// real findings offline.
	advs, err := vuln.LoadFS(advisorydata.ICSMA, "icsma")
	if err != nil {
		return err
	}
	if _, _, err := st.SaveAdvisories(ctx, medsec.System, vuln.Docs(advs)); err != nil {
		return err
	}
	for _, n := range []string{"intel/kev.json", "intel/nvd-medical.json"} {
		f, err := advisorydata.Intel.Open(n)
		if err != nil {
			return err
		}
		im, err := vuln.ImportReader(ctx, st, medsec.System, n, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, "loaded "+im.String())
	}
	msum, err := vuln.MatchAll(ctx, st, medsec.System)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, msum)
	if err := demoService(ctx, env, st, *out, *seed); err != nil {
		return err
	}
	if err := demoAssess(ctx, env, st); err != nil {
		return err
	}
	if err := demoUsers(ctx, env, st); err != nil {
		return err
	}
	if err := demoAgreement(ctx, env, st, start); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "demo ready in %.1fs\n", time.Since(start).Seconds())
	if *noServe {
		return nil
	}
	return serve(ctx, env, st, *listen)
}

// demoTargets sets the contract's correlation milestones, if none are set:
// 75% within three months of go-live, 95% within a year.
func demoTargets(ctx context.Context, st *store.Store) error {
	ts, err := st.Targets(ctx)
	if err != nil || len(ts) > 0 {
		return err
	}
	now := st.Now()
	for _, t := range []store.Target{
		{Due: now.AddDate(0, 3, 0).Format("2006-01-02"), PctCMDB: 75, PctMon: 75, Note: "Agreement: 75% of networked devices recognisable in both systems"},
		{Due: now.AddDate(1, 0, 0).Format("2006-01-02"), PctCMDB: 95, PctMon: 95, Note: "Agreement: 95% by the first annual review"},
	} {
		if err := st.SetTarget(ctx, medsec.System, t); err != nil {
			return err
		}
	}
	return nil
}

// demoUsers creates one user per role, or resets their passwords, and
// prints the credentials.
func demoUsers(ctx context.Context, env *Env, st *store.Store) error {
	// The demo provider services one community hospital: the second
	// largest facility (the largest, where there is only one).
	all, err := st.CountAssetsBy(ctx, "facility", 0)
	if err != nil {
		return err
	}
	var counts []medsec.Count
	for _, c := range all {
		if c.ID != 0 { // devices with no known facility are nobody's scope
			counts = append(counts, c)
		}
	}
	scope, err := st.EnsureParty(ctx, medsec.System, DemoProvider, medsec.PartyProvider)
	if err != nil {
		return err
	}
	rules, err := st.Scope(ctx, scope.ID)
	if err != nil {
		return err
	}
	if len(rules) == 0 && len(counts) > 0 {
		rule := medsec.ScopeRule{PartyID: scope.ID}
		if len(counts) > 1 {
			rule.FacilityID = counts[1].ID
		} else if mods, err := st.CountAssetsBy(ctx, "modality", 0); err == nil && len(mods) > 0 {
			rule.ModalityID = mods[0].ID // one facility: the provider services its largest modality
		}
		if err := st.AddScope(ctx, medsec.System, rule); err != nil {
			return err
		}
		rules, _ = st.Scope(ctx, scope.ID)
	}
	fmt.Fprintln(env.Stdout, "\ndemo users (user / password / role):")
	for _, r := range medsec.Roles {
		name := "demo-" + string(r)
		pw := randomPassword()
		party := ""
		if r == medsec.RoleProvider {
			party = DemoProvider
		}
		if u, _, err := st.UserByName(ctx, name); err == nil {
			hash, err := auth.HashPassword(pw, auth.Default)
			if err != nil {
				return err
			}
			if err := st.SetPassword(ctx, medsec.System, u.ID, hash); err != nil {
				return err
			}
		} else if _, err := addUser(ctx, st, name, r, party, pw); err != nil {
			return err
		}
		extra := ""
		if party != "" && len(rules) > 0 {
			extra = fmt.Sprintf("  (%s; sees only %s)", party, strings.TrimSpace(rules[0].Facility+" "+rules[0].Modality))
		}
		fmt.Fprintf(env.Stdout, "  %-16s %-22s %s%s\n", name, pw, r, extra)
	}
	fmt.Fprintln(env.Stdout)
	return nil
}

func randomPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
