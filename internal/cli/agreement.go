package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	_ "github.com/medsec/medsec/internal/agreement/levels" // the review pack's SLA report and work-order tiering
	"github.com/medsec/medsec/internal/raci"
	"github.com/medsec/medsec/internal/store"
)

// runAgreement: agreement init|show|set|diff|versions|export|route.
func runAgreement(ctx context.Context, env *Env, args []string) error {
	const use = "agreement init|show|set|diff|versions|export|route [flags]"
	fs, db := newFlags(env, "agreement", use)
	version := fs.Int("version", 0, "agreement version (default: the latest)")
	format := fs.String("format", "", "export: docx, pdf, md or xlsx; show: json or text")
	out := fs.String("out", ".", "export: directory to write the exhibits to")
	file := fs.String("file", "", "set: the agreement as JSON (as agreement show --format json prints it); - for stdin")
	note := fs.String("note", "", "set, init: why this version")
	hospital := fs.String("hospital", "Hospital", "init: the hospital's name")
	provider := fs.String("provider", "", "init: the service provider's name")
	deployment := fs.String("deployment", string(raci.Networked), "init: RACI template: standalone, networked, system or vendor_managed")
	since := fs.Duration("since", 24*time.Hour, "route: look this far back for new findings and work orders")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return medsec.Errorf(medsec.EINVALID, "missing subcommand: %s", use)
	}
	sub, pos := pos[0], pos[1:]
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "init":
		if err := need(pos, 0, ""); err != nil {
			return err
		}
		if *provider == "" {
			return medsec.Errorf(medsec.EINVALID, "init needs --provider NAME")
		}
		a := agreement.Default(*hospital, *provider, st.Now())
		m, err := raci.Template(raci.DeploymentType(*deployment))
		if err != nil {
			return medsec.Errorf(medsec.EINVALID, "%v", err)
		}
		a.RACI = m
		v, err := agreement.Save(ctx, st, medsec.System, a, *note)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "saved agreement version %d\n", v)
	case "show":
		if err := need(pos, 0, ""); err != nil {
			return err
		}
		v, err := agreement.Load(ctx, st, *version)
		if err != nil {
			return err
		}
		if *format == "json" {
			enc := json.NewEncoder(env.Stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(v.Agreement)
		}
		a := v.Agreement
		fmt.Fprintf(env.Stdout, "version %d (%s by %s) %s\n%s\n  hospital: %s\n  provider: %s\n  effective %s to %s, reviewed %s\n  scope: facilities %v, modalities %v, %d named devices\n",
			v.Number, v.CreatedAt, v.CreatedBy, v.Note, a.Title, a.Hospital, a.Provider, a.EffectiveDate, a.End(), a.ReviewCadence, a.Scope.Facilities, a.Scope.Modalities, len(a.Scope.Assets))
		for _, r := range a.RACI.Rows {
			fmt.Fprintf(env.Stdout, "  %-50s", r.Activity.Name)
			for _, p := range a.RACI.Parties {
				if role := r.Roles[p.ID]; role != raci.None {
					fmt.Fprintf(env.Stdout, " %s=%s", p.ID, role)
				}
			}
			fmt.Fprintln(env.Stdout)
		}
	case "set":
		if err := need(pos, 0, ""); err != nil {
			return err
		}
		var data []byte
		switch *file {
		case "":
			return medsec.Errorf(medsec.EINVALID, "set needs --file FILE (JSON)")
		case "-":
			data, err = readAll(env)
		default:
			data, err = os.ReadFile(*file)
		}
		if err != nil {
			return err
		}
		var a agreement.Agreement
		if err := json.Unmarshal(data, &a); err != nil {
			return medsec.Errorf(medsec.EINVALID, "%s is not an agreement in JSON: %v", *file, err)
		}
		v, err := agreement.Save(ctx, st, medsec.System, a, *note)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "saved agreement version %d\n", v)
	case "versions":
		vs, err := agreement.Versions(ctx, st)
		if err != nil {
			return err
		}
		for _, v := range vs {
			fmt.Fprintf(env.Stdout, "%d\t%s\t%s\t%s\n", v.Number, v.CreatedAt, v.CreatedBy, v.Note)
		}
	case "diff":
		if err := need(pos, 2, "two versions: diff A B"); err != nil {
			return err
		}
		a, b, err := twoVersions(ctx, st, pos[0], pos[1])
		if err != nil {
			return err
		}
		changes := agreement.Diff(a.Agreement, b.Agreement)
		if len(changes) == 0 {
			fmt.Fprintln(env.Stdout, "no differences")
		}
		for _, c := range changes {
			fmt.Fprintf(env.Stdout, "%s: %s\n", c.Section, c.Text)
		}
	case "export":
		if err := need(pos, 0, ""); err != nil {
			return err
		}
		if *format == "" {
			*format = "docx"
		}
		v, err := agreement.Load(ctx, st, *version)
		if err != nil {
			return err
		}
		exs, err := agreement.Exhibits(ctx, st, v, st.Now())
		if err != nil {
			return err
		}
		if err := os.MkdirAll(*out, 0o755); err != nil {
			return err
		}
		for _, ex := range exs {
			name := filepath.Join(*out, ex.Slug+"."+*format)
			f, err := os.Create(name)
			if err != nil {
				return err
			}
			if err := agreement.Render(f, ex.Doc, *format); err != nil {
				f.Close()
				return err
			}
			if err := f.Close(); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, name)
		}
	case "route":
		if err := need(pos, 0, ""); err != nil {
			return err
		}
		n, err := agreement.RouteAll(ctx, st, st.Now().Add(-*since))
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%d notifications routed through the agreement's RACI\n", n)
	default:
		return medsec.Errorf(medsec.EINVALID, "unknown subcommand %q: %s", sub, use)
	}
	return nil
}

func twoVersions(ctx context.Context, st *store.Store, x, y string) (agreement.Version, agreement.Version, error) {
	var vs [2]agreement.Version
	for i, s := range []string{x, y} {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return vs[0], vs[1], medsec.Errorf(medsec.EINVALID, "version %q must be a number from 1", s)
		}
		if vs[i], err = agreement.Load(ctx, st, n); err != nil {
			return vs[0], vs[1], err
		}
	}
	return vs[0], vs[1], nil
}

func readAll(env *Env) ([]byte, error) {
	if env.Stdin == nil {
		return nil, medsec.Errorf(medsec.EINVALID, "nothing on stdin")
	}
	var b []byte
	buf := make([]byte, 32<<10)
	for {
		n, err := env.Stdin.Read(buf)
		b = append(b, buf[:n]...)
		if err != nil {
			return b, nil
		}
	}
}

// runReview writes the review pack for a period.
func runReview(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "review", "review --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|html|xlsx [--out FILE]")
	from := fs.String("from", "", "first day of the period (default: 90 days before --to)")
	to := fs.String("to", "", "last day of the period (default: today)")
	format := fs.String("format", "pdf", "pdf, html or xlsx")
	out := fs.String("out", "", "file to write (default: review-FROM-TO.FORMAT)")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	t0, t1, err := agreement.ParsePeriod(*from, *to, st.Now())
	if err != nil {
		return err
	}
	if *format != "pdf" && *format != "html" && *format != "xlsx" {
		return medsec.Errorf(medsec.EINVALID, "--format must be pdf, html or xlsx (got %q)", *format)
	}
	r, err := agreement.BuildReview(ctx, st, t0, t1)
	if err != nil {
		return err
	}
	cur, err := agreement.Current(ctx, st)
	if err != nil {
		return err
	}
	d := r.Document(cur.Agreement.Title)
	name := *out
	if name == "" {
		name = fmt.Sprintf("review-%s-%s.%s", r.From, r.To, *format)
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if *format == "html" {
		err = agreement.WriteHTML(f, d)
	} else {
		err = agreement.Render(f, d, *format)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, name)
	return nil
}

// demoAgreement saves the demo's agreement (if none), routes the demo's
// work (new findings, escalations, exceptions, work orders) through its
// RACI and takes the first daily snapshot.
func demoAgreement(ctx context.Context, env *Env, st *store.Store, since time.Time) error {
	if _, err := agreement.Load(ctx, st, 0); medsec.ErrorCode(err) == medsec.ENOTFOUND {
		p, err := st.PartyByName(ctx, DemoProvider)
		if err != nil {
			return err
		}
		rules, err := st.Scope(ctx, p.ID)
		if err != nil {
			return err
		}
		a := agreement.Default("Demo Health System", DemoProvider, st.Now())
		for _, r := range rules {
			if r.Facility != "" {
				a.Scope.Facilities = append(a.Scope.Facilities, r.Facility)
			}
			if r.Modality != "" {
				a.Scope.Modalities = append(a.Scope.Modalities, r.Modality)
			}
		}
		if _, err := agreement.Save(ctx, st, medsec.System, a, "Demo agreement"); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	n, err := agreement.RouteAll(ctx, st, since)
	if err != nil {
		return err
	}
	if err := agreement.TakeSnapshot(ctx, st, st.Now()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "agreement saved; %d notifications routed through its RACI\n", n)
	return nil
}
