package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/vuln"
)

// sniff reads the start of a regular file and says which intelligence
// source it is ("" for directories and unknown content).
func sniff(path string) (vuln.Kind, error) {
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	return vuln.Detect(head[:n]), nil
}

// runSBOM attaches an SBOM to a make / model / firmware.
func runSBOM(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return medsec.Errorf(medsec.EINVALID, "usage: medsec sbom import FILE [--manufacturer M --model X --firmware F]")
	}
	fs, db := newFlags(env, "sbom import", "sbom import FILE [--manufacturer M] [--model X] [--firmware F]\nCycloneDX (JSON or XML) or SPDX (JSON or tag-value). Without --manufacturer/--model the SBOM's own subject is used.")
	mfr := fs.String("manufacturer", "", "the device's manufacturer (default: the SBOM's supplier)")
	model := fs.String("model", "", "the device's model (default: the SBOM's subject name)")
	fw := fs.String("firmware", "", "the firmware version the SBOM describes (default: the subject's version)")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 1, "the SBOM file"); err != nil {
		return err
	}
	raw, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := vuln.AttachSBOM(ctx, st, medsec.System, pos[0], raw, *mfr, *model, *fw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "SBOM %d: %s %s %s for %s %s%s, %d components; run 'medsec match' to match them\n", d.ID, d.Format, d.SpecVersion, d.Name,
		d.Manufacturer, d.Model, firmwareSuffix(d.Firmware), len(d.Components))
	return nil
}

func firmwareSuffix(fw string) string {
	if fw == "" {
		return " (every firmware)"
	}
	return " firmware " + fw
}

// runMDS2 stores an MDS2 form against a model.
func runMDS2(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return medsec.Errorf(medsec.EINVALID, "usage: medsec mds2 import FILE [--manufacturer M --model X]")
	}
	fs, db := newFlags(env, "mds2 import", "mds2 import FILE [--manufacturer M] [--model X]\nAn MDS2 form in the HN 1-2013 or HN 1-2019 XLSX layout.")
	mfr := fs.String("manufacturer", "", "override the form's manufacturer")
	model := fs.String("model", "", "override the form's device model")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 1, "the MDS2 workbook"); err != nil {
		return err
	}
	raw, err := os.ReadFile(pos[0])
	if err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	d, n, err := vuln.AttachMDS2(ctx, st, medsec.System, pos[0], raw, *mfr, *model)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "MDS2 form %d (%s) for %s %s: %d answers\n", d.ID, d.Layout, d.Manufacturer, d.Model, n)
	return nil
}
