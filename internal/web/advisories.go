package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/csaf"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/vex"
	"github.com/medsec/medsec/internal/vuln"
)

func (s *Server) advisoriesPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	list, err := s.Store.Advisories(r.Context(), c.Scope(), r.URL.Query().Get("q"))
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	intel, _ := s.Store.Intel(r.Context())
	s.render(w, r, c, http.StatusOK, "advisories", map[string]any{"Items": list, "Q": r.URL.Query().Get("q"), "Intel": intel})
}

// advisoryView is an advisory as the detail page and API show it.
type advisoryView struct {
	store.AdvisorySummary
	Vulns    []vulnView         `json:"vulnerabilities"`
	Products []productView      `json:"products"`
	Affected []store.FindingRow `json:"affected"`
}

type vulnView struct {
	CVE            string             `json:"cve"`
	Title          string             `json:"title"`
	CWE            string             `json:"cwe,omitempty"`
	CVSS           []csaf.Score       `json:"cvss,omitempty"`
	CVSS4          []string           `json:"cvss4_vectors,omitempty"`
	KnownExploited bool               `json:"known_exploited"`
	Status         map[string]int     `json:"product_status"`
	Remediations   []csaf.Remediation `json:"remediations,omitempty"`
}

type productView struct {
	ID      string `json:"product_id"`
	Vendor  string `json:"vendor"`
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
	Range   string `json:"version_range,omitempty"`
}

func (s *Server) advisoryView(r *http.Request, c *Ctx) (*advisoryView, error) {
	ctx := r.Context()
	id := r.PathValue("id")
	file, raw, err := s.Store.AdvisoryRaw(ctx, id)
	if err != nil {
		return nil, err
	}
	a, err := csaf.Load(file, bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	v := &advisoryView{}
	list, err := s.Store.Advisories(ctx, c.Scope(), id)
	if err != nil {
		return nil, err
	}
	for _, x := range list {
		if x.AdvisoryID == id {
			v.AdvisorySummary = x
		}
	}
	for _, vu := range a.Vulns {
		vv := vulnView{CVE: vu.CVE, Title: vu.Title, CWE: strings.TrimSpace(vu.CWE + " " + vu.CWEName), CVSS: vu.Scores, CVSS4: vu.CVSS4Vectors,
			KnownExploited: vu.KnownExploited, Status: map[string]int{}, Remediations: vu.Remediations}
		for k, ids := range vu.Status {
			vv.Status[k] = len(ids)
		}
		v.Vulns = append(v.Vulns, vv)
	}
	for _, p := range a.Products {
		if p.Relationship != nil {
			continue
		}
		v.Products = append(v.Products, productView{ID: p.ID, Vendor: p.Vendor, Name: strings.TrimSpace(p.Family + " " + p.Name), Version: p.Version, Range: p.VersionRange})
	}
	v.Affected, err = s.Store.Findings(ctx, store.FindingFilter{AdvisoryID: id, Scope: c.Scope(), Limit: 2000})
	if v.Affected == nil {
		v.Affected = []store.FindingRow{}
	}
	return v, err
}

func (s *Server) advisoryPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	v, err := s.advisoryView(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "advisory", map[string]any{"V": v})
}

func (s *Server) apiAdvisories(w http.ResponseWriter, r *http.Request, c *Ctx) {
	list, err := s.Store.Advisories(r.Context(), c.Scope(), r.URL.Query().Get("q"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if list == nil {
		list = []store.AdvisorySummary{}
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) apiAdvisory(w http.ResponseWriter, r *http.Request, c *Ctx) {
	v, err := s.advisoryView(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// modelView is a make/model with what medsec knows about it.
type modelView struct {
	store.ModelInfo
	SBOMs      []store.SBOMDoc         `json:"sboms"`
	MDS2       []store.MDS2Doc         `json:"mds2_forms"`
	Advisories []store.AdvisorySummary `json:"advisories"`
	Findings   map[string]int          `json:"findings_by_status"`
	CVEs       []string                `json:"cves"`
}

func (s *Server) modelView(r *http.Request, c *Ctx) (*modelView, error) {
	ctx := r.Context()
	m, err := s.Store.Model(ctx, atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		return nil, err
	}
	v := &modelView{ModelInfo: m, Findings: map[string]int{}}
	if v.SBOMs, err = s.Store.SBOMs(ctx, m.Manufacturer, m.Name, true); err != nil {
		return nil, err
	}
	if v.MDS2, err = s.Store.MDS2Forms(ctx, m.Manufacturer, m.Name); err != nil {
		return nil, err
	}
	fs, err := s.Store.Findings(ctx, store.FindingFilter{ModelID: m.ID, Scope: c.Scope()})
	if err != nil {
		return nil, err
	}
	advs := map[string]bool{}
	cves := map[string]bool{}
	for _, f := range fs {
		v.Findings[f.Status]++
		advs[f.AdvisoryID] = true
		if f.CVE != "" {
			cves[f.CVE] = true
		}
	}
	all, err := s.Store.Advisories(ctx, c.Scope(), "")
	if err != nil {
		return nil, err
	}
	for _, a := range all {
		if advs[a.AdvisoryID] {
			v.Advisories = append(v.Advisories, a)
		}
	}
	for c := range cves {
		v.CVEs = append(v.CVEs, c)
	}
	sort.Strings(v.CVEs)
	if v.SBOMs == nil {
		v.SBOMs = []store.SBOMDoc{}
	}
	if v.MDS2 == nil {
		v.MDS2 = []store.MDS2Doc{}
	}
	if v.Advisories == nil {
		v.Advisories = []store.AdvisorySummary{}
	}
	return v, nil
}

func (s *Server) modelPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	v, err := s.modelView(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "model", map[string]any{"V": v, "Caps": capabilities(v.MDS2)})
}

func (s *Server) apiModel(w http.ResponseWriter, r *http.Request, c *Ctx) {
	v, err := s.modelView(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// capability is one MDS2-derived capability line for the model page.
type capability struct {
	Name, Value, From string
}

// capabilities reads the newest form's derived capabilities. The stored
// JSON is an object of name → {value, questions}.
func capabilities(forms []store.MDS2Doc) []capability {
	if len(forms) == 0 {
		return nil
	}
	var m map[string]struct {
		Value     string   `json:"value"`
		Questions []string `json:"questions"`
	}
	if json.Unmarshal(forms[0].Capabilities, &m) != nil {
		return nil
	}
	var out []capability
	for k, v := range m {
		out = append(out, capability{Name: strings.ReplaceAll(k, "_", " "), Value: v.Value, From: strings.Join(v.Questions, ", ")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// modelVEX serves the hospital's status per CVE of one model as OpenVEX.
func (s *Server) modelVEX(w http.ResponseWriter, r *http.Request, c *Ctx) {
	ctx := r.Context()
	m, err := s.Store.Model(ctx, atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	fs, err := s.Store.Findings(ctx, store.FindingFilter{ModelID: m.ID, Scope: c.Scope()})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	doc := vex.Build(vex.Model{Manufacturer: m.Manufacturer, Name: m.Name}, c.User.Name, time.Now(), vexFindings(fs))
	_ = s.Store.Audit(ctx, c.Actor(), "export", "vex", m.Name, map[string]int{"statements": len(doc.Statements)})
	w.Header().Set("Content-Disposition", `attachment; filename="vex-model-`+r.PathValue("id")+`.openvex.json"`)
	writeJSON(w, http.StatusOK, doc)
}

func vexFindings(fs []store.FindingRow) []vex.Finding {
	out := make([]vex.Finding, len(fs))
	for i, f := range fs {
		out[i] = vex.Finding{CVE: f.CVE, Status: f.Status, Reason: f.StatusReason, Control: f.Control, Asset: f.AssetTag}
	}
	return out
}

func (s *Server) manualPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	s.render(w, r, c, http.StatusOK, "manual", map[string]any{"Today": time.Now().Format("2006-01-02")})
}

// manualEntry stores a manufacturer letter typed in by a person as a CSAF
// document and re-matches, so it behaves exactly like a published advisory.
func (s *Server) manualEntry(ctx context.Context, c *Ctx, m csaf.Manual) (string, error) {
	list, err := s.Store.Advisories(ctx, 0, "MEDSEC-MANUAL-")
	if err != nil {
		return "", err
	}
	if m.Published.IsZero() {
		m.Published = time.Now()
	}
	m.ID = fmt.Sprintf("MEDSEC-MANUAL-%s-%d", m.Published.Format("20060102"), len(list)+1)
	m.Author = c.User.Name
	raw, err := csaf.ManualDocument(m)
	if err != nil {
		return "", medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	a, err := csaf.Load(m.ID+".json", bytes.NewReader(raw))
	if err != nil {
		return "", medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	a.File = "manual entry by " + c.User.Name
	if _, _, err := s.Store.SaveAdvisories(ctx, c.Actor(), vuln.Docs([]*csaf.Advisory{a})); err != nil {
		return "", err
	}
	if _, err := vuln.MatchAll(ctx, s.Store, c.Actor()); err != nil {
		return "", err
	}
	return m.ID, nil
}

func manualFromForm(r *http.Request) (csaf.Manual, error) {
	m := csaf.Manual{Title: r.FormValue("title"), Manufacturer: r.FormValue("manufacturer"), Product: r.FormValue("product"),
		Affected: r.FormValue("affected"), Fixed: r.FormValue("fixed"), CVE: r.FormValue("cve"), Summary: r.FormValue("summary"),
		Remediation: r.FormValue("remediation"), Details: r.FormValue("details"), CVSS: r.FormValue("cvss")}
	if d := strings.TrimSpace(r.FormValue("published")); d != "" {
		t, err := time.Parse("2006-01-02", d)
		if err != nil {
			return m, medsec.Errorf(medsec.EINVALID, "The letter's date must look like 2026-03-01 (got %q).", d)
		}
		m.Published = t
	}
	return m, nil
}

func (s *Server) manualCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	m, err := manualFromForm(r)
	if err == nil {
		var id string
		if id, err = s.manualEntry(r.Context(), c, m); err == nil {
			http.Redirect(w, r, "/advisories/"+id, http.StatusSeeOther)
			return
		}
	}
	s.fail(w, r, false, c, err)
}

func (s *Server) apiManualCreate(w http.ResponseWriter, r *http.Request, c *Ctx) {
	var in struct {
		Title, Manufacturer, Product, Affected, Fixed, CVE, Summary, Remediation, Details, CVSS, Published string
	}
	if err := readJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	m := csaf.Manual{Title: in.Title, Manufacturer: in.Manufacturer, Product: in.Product, Affected: in.Affected, Fixed: in.Fixed, CVE: in.CVE,
		Summary: in.Summary, Remediation: in.Remediation, Details: in.Details, CVSS: in.CVSS}
	if in.Published != "" {
		t, err := time.Parse("2006-01-02", in.Published)
		if err != nil {
			s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "published must look like 2026-03-01 (got %q).", in.Published))
			return
		}
		m.Published = t
	}
	id, err := s.manualEntry(r.Context(), c, m)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	r.SetPathValue("id", id)
	v, err := s.advisoryView(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

// intelUpload loads an uploaded intelligence file (a CSAF advisory, an NVD
// file, the KEV catalog or an EPSS file) and matches the inventory again.
func (s *Server) intelUpload(w http.ResponseWriter, r *http.Request, c *Ctx) {
	msg, err := s.loadIntel(r, c)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	list, _ := s.Store.Advisories(r.Context(), c.Scope(), "")
	intel, _ := s.Store.Intel(r.Context())
	s.render(w, r, c, http.StatusOK, "advisories", map[string]any{"Items": list, "Intel": intel, "Loaded": msg})
}

func (s *Server) apiIntelUpload(w http.ResponseWriter, r *http.Request, c *Ctx) {
	msg, err := s.loadIntel(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"loaded": msg})
}

func (s *Server) loadIntel(r *http.Request, c *Ctx) (string, error) {
	r.Body = http.MaxBytesReader(nil, r.Body, s.MaxUpload)
	raw, name, err := uploadBytes(r)
	if err != nil {
		return "", err
	}
	ctx := r.Context()
	var msg string
	switch vuln.Detect(raw) {
	case vuln.KindCSAF:
		a, err := csaf.Load(name, bytes.NewReader(raw))
		if err != nil {
			return "", medsec.Errorf(medsec.EINVALID, "%v", err)
		}
		added, changed, err := s.Store.SaveAdvisories(ctx, c.Actor(), vuln.Docs([]*csaf.Advisory{a}))
		if err != nil {
			return "", err
		}
		msg = fmt.Sprintf("%s: CSAF advisory %s (%d new, %d changed)", name, a.ID, added, changed)
	default:
		im, err := vuln.ImportReader(ctx, s.Store, c.Actor(), name, bytes.NewReader(raw))
		if err != nil {
			return "", err
		}
		msg = im.String()
	}
	sum, err := vuln.MatchAll(ctx, s.Store, c.Actor())
	if err != nil {
		return "", err
	}
	return msg + "; " + sum.Short(), nil
}

// uploadBytes reads the uploaded file: a multipart "file" field, or the
// request body itself (API) named by ?filename=.
func uploadBytes(r *http.Request) ([]byte, string, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			return nil, "", medsec.Errorf(medsec.EINVALID, "Choose a file to upload.")
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, "", medsec.Errorf(medsec.EINVALID, "The upload failed or is larger than the limit: %v.", err)
		}
		return b, cleanName(hdr.Filename), nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, "", medsec.Errorf(medsec.EINVALID, "The upload failed or is larger than the limit: %v.", err)
	}
	if len(b) == 0 {
		return nil, "", medsec.Errorf(medsec.EINVALID, "The request body is empty; send the file as the body or as a multipart 'file' field.")
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "upload"
	}
	return b, cleanName(name), nil
}

// modelAttach attaches an uploaded SBOM or MDS2 form to the model.
func (s *Server) modelAttach(r *http.Request, c *Ctx) (string, error) {
	ctx := r.Context()
	m, err := s.Store.Model(ctx, atoi64(r.PathValue("id")), c.Scope())
	if err != nil {
		return "", err
	}
	r.Body = http.MaxBytesReader(nil, r.Body, s.MaxUpload)
	raw, name, err := uploadBytes(r)
	if err != nil {
		return "", err
	}
	switch r.PathValue("kind") {
	case "sbom":
		d, err := vuln.AttachSBOM(ctx, s.Store, c.Actor(), name, raw, m.Manufacturer, m.Name, r.FormValue("firmware"))
		if err != nil {
			return "", err
		}
		if _, err := vuln.MatchAll(ctx, s.Store, c.Actor()); err != nil {
			return "", err
		}
		return fmt.Sprintf("SBOM %s (%s %s) with %d components attached and matched", d.Name, d.Format, d.SpecVersion, len(d.Components)), nil
	case "mds2":
		d, n, err := vuln.AttachMDS2(ctx, s.Store, c.Actor(), name, raw, m.Manufacturer, m.Name)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("MDS2 form %s (%s) with %d answers attached", d.DocumentID, d.Layout, n), nil
	}
	return "", medsec.Errorf(medsec.ENOTFOUND, "Nothing to attach as %q; use sbom or mds2.", r.PathValue("kind"))
}

func (s *Server) modelAttachForm(w http.ResponseWriter, r *http.Request, c *Ctx) {
	if _, err := s.modelAttach(r, c); err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	http.Redirect(w, r, "/models/"+r.PathValue("id"), http.StatusSeeOther)
}

func (s *Server) apiModelAttach(w http.ResponseWriter, r *http.Request, c *Ctx) {
	msg, err := s.modelAttach(r, c)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"loaded": msg})
}
