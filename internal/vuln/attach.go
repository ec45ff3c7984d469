package vuln

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/mds2"
	"github.com/medsec/medsec/internal/sbom"
	"github.com/medsec/medsec/internal/store"
)

// AttachSBOM reads an SBOM (CycloneDX JSON/XML or SPDX JSON/tag-value) and
// stores it against a make / model / firmware. Empty manufacturer, model or
// firmware are taken from the SBOM's own subject and supplier.
func AttachSBOM(ctx context.Context, st *store.Store, actor medsec.Actor, name string, raw []byte, manufacturer, model, firmware string) (store.SBOMDoc, error) {
	doc, err := sbom.Parse(filepath.Base(name), raw)
	if err != nil {
		return store.SBOMDoc{}, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	d := store.SBOMDoc{Format: doc.Format, SpecVersion: doc.SpecVersion, Name: doc.Name, File: filepath.Base(name), Raw: raw,
		Manufacturer: manufacturer, Model: model, Firmware: firmware}
	if doc.Subject != nil {
		if d.Model == "" {
			d.Model = doc.Subject.Name
		}
		if d.Firmware == "" && model == "" {
			d.Firmware = doc.Subject.Version
		}
	}
	if d.Manufacturer == "" {
		d.Manufacturer = doc.Supplier
	}
	if d.Manufacturer == "" || d.Model == "" {
		return d, medsec.Errorf(medsec.EINVALID, "%s does not say which device it describes; give the manufacturer and model", d.File)
	}
	d.Manufacturer, _ = catalog.CanonicalManufacturer(d.Manufacturer)
	if d.Name == "" {
		d.Name = d.File
	}
	for _, c := range doc.Components {
		d.Components = append(d.Components, store.SBOMComponent{Ref: c.Ref, Name: c.Name, Version: c.Version, Supplier: c.Supplier, PURL: c.PURL, CPEs: c.CPEs})
	}
	d.ID, err = st.SaveSBOM(ctx, actor, d)
	return d, err
}

// AttachMDS2 reads an MDS2 workbook and stores every answer and the derived
// capabilities against the model the form names (or the one given).
func AttachMDS2(ctx context.Context, st *store.Store, actor medsec.Actor, name string, raw []byte, manufacturer, model string) (store.MDS2Doc, int, error) {
	form, err := mds2.Read(filepath.Base(name), bytes.NewReader(raw))
	if err != nil {
		return store.MDS2Doc{}, 0, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	d := store.MDS2Doc{Manufacturer: strings.TrimSpace(form.Manufacturer), Model: strings.TrimSpace(form.Model), Layout: form.Layout,
		DocumentID: form.DocumentID, ReleaseDate: form.ReleaseDate, File: filepath.Base(name)}
	if manufacturer != "" {
		d.Manufacturer = manufacturer
	}
	if model != "" {
		d.Model = model
	}
	if d.Manufacturer == "" || d.Model == "" {
		return d, 0, medsec.Errorf(medsec.EINVALID, "%s does not name its manufacturer and model; give them", d.File)
	}
	d.Manufacturer, _ = catalog.CanonicalManufacturer(d.Manufacturer)
	d.Answers, d.Capabilities = MDS2JSON(form)
	d.ID, err = st.SaveMDS2(ctx, actor, d)
	return d, len(form.Answers), err
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
