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

// runAssess changes an assessment and rescores what it touched:
//
//	assess set --modality CODE|--model ID|--asset ID --point NAME --value V --reason R
//	assess support --model ID --status supported|end-of-support|legacy|unknown --reason R
//	assess controls --asset ID --segmented yes|no --nac yes|no --disabled-services yes|no --reason R
func runAssess(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "assess", "assess set (--modality CODE | --model ID | --asset ID|TAG) --point NAME --value V --reason R\n"+
		"       assess support --model ID --status supported|end-of-support|legacy|unknown --reason R\n"+
		"       assess controls --asset ID|TAG [--segmented yes|no] [--nac yes|no] [--disabled-services yes|no] --reason R [--db DSN]")
	mod := fs.String("modality", "", "modality code, e.g. infusion_pump")
	model := fs.Int64("model", 0, "make/model id")
	asset := fs.String("asset", "", "asset id or equipment id")
	point := fs.String("point", "", "data point: life-safety, acuity, phi, large-phi, care-delivery, lateral-access, financial, reputational")
	value := fs.String("value", "", "the value (empty clears it); life-safety is function,physical-risk,maintenance,incidents")
	status := fs.String("status", "", "support: supported, end-of-support, legacy or unknown (clears it)")
	seg := fs.String("segmented", "", "controls: the asset is on a segmented network (yes or no)")
	nac := fs.String("nac", "", "controls: network access control enforced (yes or no)")
	dis := fs.String("disabled-services", "", "controls: unneeded services disabled (yes or no)")
	reason := fs.String("reason", "", "why (required)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || (pos[0] != "set" && pos[0] != "support" && pos[0] != "controls") {
		return medsec.Errorf(medsec.EINVALID, "use: assess set|support|controls (see medsec assess --help)")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	assetID := func() (int64, error) {
		if id, err := strconv.ParseInt(*asset, 10, 64); err == nil {
			return id, nil
		}
		items, _, err := st.FindAssets(ctx, medsec.AssetFilter{Q: *asset, Kind: "all"})
		if err != nil {
			return 0, err
		}
		for _, a := range items {
			if strings.EqualFold(a.AssetTag, *asset) {
				return a.ID, nil
			}
		}
		return 0, medsec.Errorf(medsec.ENOTFOUND, "No asset %q.", *asset)
	}
	var target risk.Target
	switch pos[0] {
	case "support":
		if *model == 0 {
			return medsec.Errorf(medsec.EINVALID, "name the model: --model ID")
		}
		if strings.TrimSpace(*status) == "" {
			return medsec.Errorf(medsec.EINVALID, "missing --status (one of supported, end-of-support, legacy, unknown)")
		}
		if err := st.SetModelSupport(ctx, medsec.System, *model, *status, *reason); err != nil {
			return err
		}
		target = risk.Target{Level: store.LevelModel, ID: *model}
		fmt.Fprintf(env.Stdout, "model %d: support %s\n", *model, *status)
	case "controls":
		if *asset == "" {
			return medsec.Errorf(medsec.EINVALID, "name the asset: --asset ID|TAG")
		}
		id, err := assetID()
		if err != nil {
			return err
		}
		row := store.ControlsRow{AssetID: id, Reason: *reason}
		if cur, err := st.AssetControls(ctx, id); err != nil {
			return err
		} else if cur != nil {
			row.Segmentation, row.NAC, row.DisabledServices = cur.Segmentation, cur.NAC, cur.DisabledServices
		}
		set := 0
		for _, f := range []struct {
			flag, v string
			dst     *bool
		}{{"segmented", *seg, &row.Segmentation}, {"nac", *nac, &row.NAC}, {"disabled-services", *dis, &row.DisabledServices}} {
			if f.v == "" {
				continue
			}
			b, ok := yesNo(f.v)
			if !ok {
				return medsec.Errorf(medsec.EINVALID, "--%s must be yes or no, got %q", f.flag, f.v)
			}
			*f.dst = b
			set++
		}
		if set == 0 {
			return medsec.Errorf(medsec.EINVALID, "give at least one of --segmented, --nac, --disabled-services (yes or no)")
		}
		if err := st.SetAssetControls(ctx, medsec.System, row); err != nil {
			return err
		}
		target = risk.Target{Level: store.LevelAsset, ID: id}
		fmt.Fprintf(env.Stdout, "asset %d: segmented %s, NAC %s, disabled services %s\n", id, yn(row.Segmentation), yn(row.NAC), yn(row.DisabledServices))
	default:
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
			if u.ScopeID, err = assetID(); err != nil {
				return err
			}
		default:
			return medsec.Errorf(medsec.EINVALID, "name what is assessed: --modality, --model or --asset")
		}
		if err := st.SetAssessment(ctx, medsec.System, u); err != nil {
			return err
		}
		target = risk.Target{Level: u.Level, ID: u.ScopeID}
		fmt.Fprintf(env.Stdout, "%s %d: %s = %q\n", u.Level, u.ScopeID, u.Point, u.Value)
	}
	sum, err := risk.Rescore(ctx, st, medsec.System, target)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, sum)
	return nil
}

func yesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1", "on":
		return true, true
	case "no", "n", "false", "0", "off":
		return false, true
	}
	return false, false
}

func yn(b bool) string {
	if b {
		return "yes"
	}
	return "no"
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
