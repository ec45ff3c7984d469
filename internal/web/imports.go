package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/importer"
	"github.com/medsec/medsec/internal/store"
)

// importOutcome is what the import page and API show after a check or an import.
type importOutcome struct {
	*importer.Result
	Problems []importer.Problem `json:"problems"`
	Total    int                `json:"problem_count"`
}

func outcome(res *importer.Result, err error) (*importOutcome, error) {
	o := &importOutcome{Result: res}
	var pe *importer.ProblemsError
	if errors.As(err, &pe) {
		o.Problems, o.Total = pe.Problems, pe.Total
		if o.Result == nil {
			o.Result = &importer.Result{}
		}
		return o, nil
	}
	if err != nil {
		return nil, err
	}
	return o, nil
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	batches, err := s.Store.Batches(r.Context(), 20)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "import", map[string]any{"Batches": batches, "Source": r.FormValue("source")})
}

var uploadID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// importUpload checks (dry run) or imports an uploaded file. A checked
// file is kept under an unguessable id, so that "Import" needs no second upload.
func (s *Server) importUpload(w http.ResponseWriter, r *http.Request, c *Ctx) {
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload)
	source := r.FormValue("source")
	if source == "" {
		source = "cmms"
	}
	skip := r.FormValue("skip_bad_rows") == "1"
	data := map[string]any{"Key": r.FormValue("key"), "Source": source, "Skip": skip}
	path, name, err := s.receiveUpload(r)
	if err != nil {
		batches, _ := s.Store.Batches(r.Context(), 20)
		data["Error"], data["Batches"] = medsec.ErrorMessage(err), batches
		s.render(w, r, c, statusOf(err), "import", data)
		return
	}
	dry := r.FormValue("action") != "import"
	f, err := os.Open(path)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	res, err := importer.Import(r.Context(), s.Store, c.Actor(), source, name, f, importer.Options{Key: r.FormValue("key"), DryRun: dry, SkipBadRows: skip})
	f.Close()
	out, err := outcome(res, err)
	status := http.StatusOK
	if err != nil {
		data["Error"] = medsec.ErrorMessage(err)
		status = statusOf(err)
	} else if out.Total > 0 {
		status = http.StatusUnprocessableEntity
	}
	if !dry || err != nil {
		os.Remove(path)
	} else {
		data["Upload"] = filepath.Base(filepath.Dir(path))
	}
	data["Result"], data["FileName"] = out, name
	data["Batches"], _ = s.Store.Batches(r.Context(), 20)
	s.render(w, r, c, status, "import", data)
}

func (s *Server) receiveUpload(r *http.Request) (path, name string, err error) {
	if id := r.FormValue("upload"); id != "" {
		if !uploadID.MatchString(id) {
			return "", "", medsec.Errorf(medsec.EINVALID, "Unknown upload; choose the file again.")
		}
		m, _ := filepath.Glob(filepath.Join(s.UploadDir, id, "*"))
		if len(m) != 1 {
			return "", "", medsec.Errorf(medsec.EINVALID, "The checked file is no longer here; choose it again.")
		}
		return m[0], filepath.Base(m[0]), nil
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", "", medsec.Errorf(medsec.EINVALID, "The file is larger than the %d MB upload limit; use the CLI (medsec import) for files this size.", s.MaxUpload>>20)
		}
		return "", "", medsec.Errorf(medsec.EINVALID, "Choose a file to upload.")
	}
	defer file.Close()
	return s.saveUpload(file, hdr)
}

func (s *Server) saveUpload(file multipart.File, hdr *multipart.FileHeader) (string, string, error) {
	b := make([]byte, 16)
	rand.Read(b)
	dir := filepath.Join(s.UploadDir, hex.EncodeToString(b))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", err
	}
	name := cleanName(hdr.Filename)
	path := filepath.Join(dir, name)
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", "", err
	}
	if _, err := io.Copy(out, file); err != nil {
		out.Close()
		os.RemoveAll(dir)
		return "", "", medsec.Errorf(medsec.EINVALID, "Upload failed: %v.", err)
	}
	return path, name, out.Close()
}

// cleanName keeps an uploaded file's base name and only harmless characters.
func cleanName(n string) string {
	n = filepath.Base(strings.ReplaceAll(n, `\`, "/"))
	n = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, n)
	if n == "" || n == "." || n == ".." {
		n = "upload"
	}
	return n
}

func (s *Server) apiImports(w http.ResponseWriter, r *http.Request, c *Ctx) {
	b, err := s.Store.Batches(r.Context(), 100)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if b == nil {
		b = []medsec.ImportBatch{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": b})
}

// apiImport takes the file as the request body (name from ?filename=) or
// as a multipart "file" field.
func (s *Server) apiImport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	q := r.URL.Query()
	source := q.Get("source")
	if source == "" {
		source = "cmms"
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.MaxUpload)
	var body io.Reader = r.Body
	name := q.Get("filename")
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, hdr, err := r.FormFile("file")
		if err != nil {
			s.apiError(w, r, medsec.Errorf(medsec.EINVALID, "Multipart upload needs a \"file\" field."))
			return
		}
		defer f.Close()
		body, name = f, hdr.Filename
	}
	if name == "" {
		name = "upload.csv"
	}
	res, err := importer.Import(r.Context(), s.Store, c.Actor(), source, cleanName(name), body,
		importer.Options{Key: q.Get("key"), DryRun: q.Get("dry_run") == "true", SkipBadRows: q.Get("skip_bad_rows") == "true", SystemName: q.Get("system")})
	out, err := outcome(res, err)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	status := http.StatusOK
	if out.Total > 0 {
		status = http.StatusUnprocessableEntity
	} else if !out.DryRun {
		status = http.StatusCreated
	}
	if out.Problems == nil {
		out.Problems = []importer.Problem{}
	}
	writeJSON(w, status, out)
}

func (s *Server) batchData(r *http.Request) (*medsec.ImportBatch, []store.RejectedRow, error) {
	b, err := s.Store.Batch(r.Context(), atoi64(r.PathValue("id")))
	if err != nil {
		return nil, nil, err
	}
	rej, err := s.Store.RejectedRows(r.Context(), b.ID, 5000)
	if rej == nil {
		rej = []store.RejectedRow{}
	}
	return b, rej, err
}

func (s *Server) batchPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	b, rej, err := s.batchData(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "batch", map[string]any{"B": b, "Rejected": rej})
}

func (s *Server) apiBatch(w http.ResponseWriter, r *http.Request, c *Ctx) {
	b, rej, err := s.batchData(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"batch": b, "rejected": rej})
}
