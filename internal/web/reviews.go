package web

import (
	"bytes"
	"net/http"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	_ "github.com/medsec/medsec/internal/agreement/levels" // the review pack's SLA report
)

func (s *Server) buildReview(r *http.Request) (*agreement.Review, string, error) {
	t0, t1, err := agreement.ParsePeriod(r.FormValue("from"), r.FormValue("to"), s.Store.Now())
	if err != nil {
		return nil, "", err
	}
	rv, err := agreement.BuildReview(r.Context(), s.Store, t0, t1)
	if err != nil {
		return nil, "", err
	}
	cur, err := agreement.Current(r.Context(), s.Store)
	if err != nil {
		return nil, "", err
	}
	return rv, cur.Agreement.Title, nil
}

// reviewsPage shows the review pack for a period (from, to).
func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request, c *Ctx) {
	rv, title, err := s.buildReview(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "reviews", map[string]any{
		"R": rv, "Title": title, "Body": agreement.HTMLBody(rv.Document(title)),
	})
}

// reviewsExport sends the review pack as PDF, HTML or XLSX.
func (s *Server) reviewsExport(w http.ResponseWriter, r *http.Request, c *Ctx) {
	format := r.PathValue("format")
	if format != "pdf" && format != "html" && format != "xlsx" {
		s.fail(w, r, false, c, medsec.Errorf(medsec.EINVALID, "The review pack comes as pdf, html or xlsx, not %q.", format))
		return
	}
	rv, title, err := s.buildReview(r)
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	var buf bytes.Buffer
	d := rv.Document(title)
	if format == "html" {
		err = agreement.WriteHTML(&buf, d)
	} else {
		err = agreement.Render(&buf, d, format)
	}
	if err != nil {
		s.fail(w, r, false, c, err)
		return
	}
	w.Header().Set("Content-Type", agreement.ContentType(format))
	w.Header().Set("Content-Disposition", `attachment; filename="review-`+rv.From+"-"+rv.To+"."+format+`"`)
	w.Write(buf.Bytes())
}

func (s *Server) apiReviews(w http.ResponseWriter, r *http.Request, c *Ctx) {
	rv, _, err := s.buildReview(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rv)
}
