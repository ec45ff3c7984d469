package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/mds2"
	"github.com/medsec/medsec/internal/sbom"
	"github.com/medsec/medsec/internal/store"
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
	doc, err := sbom.Parse(filepath.Base(pos[0]), raw)
	if err != nil {
		return err
	}
	d := store.SBOMDoc{Format: doc.Format, SpecVersion: doc.SpecVersion, Name: doc.Name, File: filepath.Base(pos[0]), Raw: raw,
		Manufacturer: *mfr, Model: *model, Firmware: *fw}
	if doc.Subject != nil {
		if d.Model == "" {
			d.Model = doc.Subject.Name
		}
		if d.Firmware == "" && *model == "" {
			d.Firmware = doc.Subject.Version
		}
	}
	if d.Manufacturer == "" {
		d.Manufacturer = doc.Supplier
	}
	if d.Manufacturer == "" || d.Model == "" {
		return medsec.Errorf(medsec.EINVALID, "%s does not say which device it describes; give --manufacturer and --model", filepath.Base(pos[0]))
	}
	d.Manufacturer, _ = catalog.CanonicalManufacturer(d.Manufacturer)
	if d.Name == "" {
		d.Name = filepath.Base(pos[0])
	}
	for _, c := range doc.Components {
		d.Components = append(d.Components, store.SBOMComponent{Ref: c.Ref, Name: c.Name, Version: c.Version, Supplier: c.Supplier, PURL: c.PURL, CPEs: c.CPEs})
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.SaveSBOM(ctx, medsec.System, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "SBOM %d: %s %s %s for %s %s%s, %d components; run 'medsec match' to match them\n", id, d.Format, d.SpecVersion, d.Name,
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
	form, err := mds2.ReadFile(pos[0])
	if err != nil {
		return err
	}
	d := store.MDS2Doc{Manufacturer: strings.TrimSpace(form.Manufacturer), Model: strings.TrimSpace(form.Model), Layout: form.Layout,
		DocumentID: form.DocumentID, ReleaseDate: form.ReleaseDate, File: filepath.Base(pos[0])}
	if *mfr != "" {
		d.Manufacturer = *mfr
	}
	if *model != "" {
		d.Model = *model
	}
	if d.Manufacturer == "" || d.Model == "" {
		return medsec.Errorf(medsec.EINVALID, "%s does not name its manufacturer and model; give --manufacturer and --model", filepath.Base(pos[0]))
	}
	d.Manufacturer, _ = catalog.CanonicalManufacturer(d.Manufacturer)
	d.Answers, d.Capabilities = MDS2JSON(form)
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := st.SaveMDS2(ctx, medsec.System, d)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "MDS2 form %d (%s) for %s %s: %d answers\n", id, d.Layout, d.Manufacturer, d.Model, len(form.Answers))
	return nil
}

// MDS2JSON turns a form into the stored answers and capabilities: the
// capabilities as name → {value, questions, why}.
func MDS2JSON(f *mds2.Form) (answers, caps json.RawMessage) {
	type ans struct {
		Section  string `json:"section"`
		ID       string `json:"id"`
		Question string `json:"question"`
		Answer   string `json:"answer"`
		Raw      string `json:"raw"`
		Note     string `json:"note,omitempty"`
		Sheet    string `json:"sheet"`
		Row      int    `json:"row"`
	}
	as := make([]ans, len(f.Answers))
	for i, a := range f.Answers {
		as[i] = ans{a.Section, a.ID, a.Question, string(a.Answer), a.Raw, a.Note, a.Sheet, a.Row}
	}
	type capj struct {
		Value     string   `json:"value"`
		Questions []string `json:"questions"`
		Why       string   `json:"why"`
	}
	c := f.Capabilities
	m := map[string]capj{}
	for name, v := range map[string]mds2.Capability{
		"customer_installable_patches": c.CustomerInstallablePatches, "anti_malware": c.AntiMalware, "encryption_at_rest": c.EncryptionAtRest,
		"encryption_in_transit": c.EncryptionInTransit, "audit_logging": c.AuditLogging, "remote_service": c.RemoteService, "authentication": c.Authentication,
	} {
		m[name] = capj{Value: string(v.State), Questions: v.From, Why: v.Explanation}
	}
	a, _ := json.Marshal(as)
	cb, _ := json.Marshal(m)
	return a, cb
}
