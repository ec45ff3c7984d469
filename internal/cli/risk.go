package cli

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/demo"
	"github.com/medsec/medsec/internal/risk"
	"github.com/medsec/medsec/internal/store"
)

// runScore rescores every asset under the active scoring model.
func runScore(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "score", "score [--full] [--db DSN]")
	full := fs.Bool("full", false, "rescore every asset, not only those whose inputs changed")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := risk.Run(ctx, st, medsec.System, *full)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, sum)
	return nil
}

// runAssess sets one data point of a modality's, a model's or an asset's
// assessment: assess set --modality CODE|--model ID|--asset ID --point NAME --value V --reason R.
func runAssess(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "assess", "assess set (--modality CODE | --model ID | --asset ID|TAG) --point NAME --value V --reason R [--db DSN]")
	mod := fs.String("modality", "", "modality code, e.g. infusion_pump")
	model := fs.Int64("model", 0, "make/model id")
	asset := fs.String("asset", "", "asset id or equipment id")
	point := fs.String("point", "", "data point: life-safety, acuity, phi, large-phi, care-delivery, lateral-access, financial, reputational")
	value := fs.String("value", "", "the value (empty clears it); life-safety is function,physical-risk,maintenance,incidents")
	reason := fs.String("reason", "", "why (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "set" {
		return medsec.Errorf(medsec.EINVALID, "use: assess set --modality CODE --point NAME --value V --reason R")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u := store.AssessmentUpdate{Point: *point, Value: *value, Reason: *reason}
	switch {
	case *mod != "":
		u.Level = store.LevelModality
		mods, err := st.Modalities(ctx)
		if err != nil {
			return err
		}
		for _, m := range mods {
			if strings.EqualFold(m.Code, *mod) || strings.EqualFold(m.Name, *mod) {
				u.ScopeID = m.ID
			}
		}
		if u.ScopeID == 0 {
			return medsec.Errorf(medsec.ENOTFOUND, "No modality %q.", *mod)
		}
	case *model != 0:
		u.Level, u.ScopeID = store.LevelModel, *model
	case *asset != "":
		u.Level = store.LevelAsset
		if id, err := strconv.ParseInt(*asset, 10, 64); err == nil {
			u.ScopeID = id
		} else {
			items, _, err := st.FindAssets(ctx, medsec.AssetFilter{Q: *asset, Kind: "all"})
			if err != nil {
				return err
			}
			for _, a := range items {
				if strings.EqualFold(a.AssetTag, *asset) {
					u.ScopeID = a.ID
				}
			}
			if u.ScopeID == 0 {
				return medsec.Errorf(medsec.ENOTFOUND, "No asset %q.", *asset)
			}
		}
	default:
		return medsec.Errorf(medsec.EINVALID, "name what is assessed: --modality, --model or --asset")
	}
	if err := st.SetAssessment(ctx, medsec.System, u); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %d: %s = %q (run medsec score to rescore)\n", u.Level, u.ScopeID, u.Point, u.Value)
	return nil
}

// runLists writes one action list.
func runLists(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "lists", "lists capital|mitigation|monitoring|restore [--format csv|xlsx|json] [--facility ID] [--out FILE] [--db DSN]")
	format := fs.String("format", "csv", "csv, xlsx or json")
	facility := fs.Int64("facility", 0, "restore order of one facility")
	out := fs.String("out", "", "write to FILE instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := need(pos, 1, "list name (capital, mitigation, monitoring or restore)"); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	l, err := risk.List(ctx, st, pos[0], 0, *facility)
	if err != nil {
		return err
	}
	w := env.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	return l.Write(w, *format)
}

// demoAssess stores the demo's reasoned default assessments (modality
// level) and scores every asset.
func demoAssess(ctx context.Context, env *Env, st *store.Store) error {
	mods, err := st.Modalities(ctx)
	if err != nil {
		return err
	}
	byCode := map[string]int64{}
	for _, m := range mods {
		byCode[m.Code] = m.ID
	}
	existing, err := st.Assessments(ctx, store.LevelModality, 0)
	if err != nil {
		return err
	}
	done := map[string]bool{}
	for _, r := range existing {
		done[fmt.Sprintf("%d/%s", r.ScopeID, r.Point)] = true
	}
	for _, a := range demo.Assessments {
		id := byCode[a.Code]
		if id == 0 {
			continue
		}
		cm, _ := catalog.ModalityByCode(a.Code)
		set := []store.AssessmentUpdate{
			{Point: "life-safety", Value: fmt.Sprintf("%d,%d,%d,%d", cm.Function, cm.PhysicalRisk, cm.Maintenance, cm.IncidentHistory), Reason: "Fennigkoh–Smith components of the modality (catalog)"},
			{Point: "phi", Value: a.PHI, Reason: a.Why[0]},
			{Point: "large-phi", Value: a.LargePHI, Reason: a.Why[0]},
			{Point: "care-delivery", Value: strconv.Itoa(a.CareDelivery), Reason: a.Why[1]},
			{Point: "lateral-access", Value: strconv.Itoa(a.Lateral), Reason: a.Why[2]},
			{Point: "financial", Value: strconv.Itoa(a.Financial), Reason: a.Why[3]},
			{Point: "reputational", Value: strconv.Itoa(a.Reputational), Reason: a.Why[4]},
		}
		for _, u := range set {
			if done[fmt.Sprintf("%d/%s", id, u.Point)] {
				continue
			}
			u.Level, u.ScopeID = store.LevelModality, id
			if err := st.SetAssessment(ctx, medsec.System, u); err != nil {
				return fmt.Errorf("demo assessment %s %s: %w", a.Code, u.Point, err)
			}
		}
	}
	sum, err := risk.Run(ctx, st, medsec.System, false)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, sum)
	return nil
}
