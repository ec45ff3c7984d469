package vuln

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/epss"
	"github.com/medsec/medsec/internal/kev"
	"github.com/medsec/medsec/internal/nvd"
	"github.com/medsec/medsec/internal/store"
)

// Kind names what an intelligence file holds.
type Kind string

const (
	KindCSAF Kind = "csaf"
	KindNVD  Kind = "nvd"
	KindKEV  Kind = "kev"
	KindEPSS Kind = "epss"
)

// Detect tells a CSAF advisory, an NVD feed or record, the KEV catalog
// (JSON or CSV) and an EPSS file apart from their first bytes (gzip is
// looked through). It returns "" when the content is none of them.
func Detect(head []byte) Kind {
	if len(head) > 2 && head[0] == 0x1f && head[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(head)); err == nil {
			b, _ := io.ReadAll(io.LimitReader(zr, 64<<10))
			head = b
		}
	}
	h := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	t := strings.ToLower(string(h[:min(len(h), 64<<10)]))
	trim := strings.TrimSpace(t)
	switch {
	case strings.HasPrefix(trim, "#model_version") || strings.HasPrefix(trim, "cve,epss"):
		return KindEPSS
	case strings.HasPrefix(trim, "cveid,vendorproject") || strings.HasPrefix(trim, `"cveid","vendorproject"`):
		return KindKEV
	case !strings.HasPrefix(trim, "{") && !strings.HasPrefix(trim, "["):
		return ""
	case strings.Contains(t, `"catalogversion"`) && strings.Contains(t, `"vulnerabilities"`):
		return KindKEV
	case strings.Contains(t, `"csaf_version"`):
		return KindCSAF
	case strings.Contains(t, `"cpematch"`) || strings.Contains(t, `"nvd_cve"`) || strings.Contains(t, `"sourceidentifier"`) || strings.Contains(t, `"vulnstatus"`):
		return KindNVD
	}
	return ""
}

// Imported reports one imported intelligence file.
type Imported struct {
	File    string
	Kind    Kind
	Records int
	Note    string
}

func (i Imported) String() string {
	return fmt.Sprintf("%s: %s, %d records%s", filepath.Base(i.File), i.Kind, i.Records, i.Note)
}

// ImportFile loads one NVD, KEV or EPSS file into the store. Each file is
// one transaction: it lands whole or not at all. Large feeds stream.
func ImportFile(ctx context.Context, st *store.Store, actor medsec.Actor, path string) (Imported, error) {
	f, err := os.Open(path)
	if err != nil {
		return Imported{}, err
	}
	defer f.Close()
	return ImportReader(ctx, st, actor, path, f)
}

// ImportReader is ImportFile for a stream named name.
func ImportReader(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader) (Imported, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(64 << 10)
	kind := Detect(head)
	out := Imported{File: name, Kind: kind}
	name = filepath.Base(name)
	var err error
	switch kind {
	case KindNVD:
		out.Records, err = st.SaveNVD(ctx, actor, name, func(add func(store.NVDRow) error) error {
			return nvd.Read(name, br, func(c *nvd.CVE) error {
				r, err := nvdRow(c)
				if err != nil {
					return err
				}
				return add(r)
			})
		})
	case KindKEV:
		var c *kev.Catalog
		if c, err = kev.Read(name, br); err != nil {
			return out, err
		}
		var before int
		before, err = st.ReplaceKEV(ctx, actor, c.Version, KEVRows(c))
		out.Records, out.Note = len(c.Entries), fmt.Sprintf(" (catalog %s; %d entries before)", c.Version, before)
	case KindEPSS:
		var meta epss.Meta
		out.Records, err = st.SaveEPSS(ctx, actor, func(add func(store.EPSSRow) error) (string, string, error) {
			var rerr error
			meta, rerr = epss.Read(name, br, func(s epss.Score) error {
				pct := s.Percentile
				if pct != pct { // NaN: the file has no percentile column
					pct = 0
				}
				return add(store.EPSSRow{CVE: s.CVE, Score: s.EPSS, Percentile: pct})
			})
			date := ""
			if !meta.ScoreDate.IsZero() {
				date = meta.ScoreDate.Format("2006-01-02")
			}
			return date, meta.ModelVersion, rerr
		})
		out.Note = fmt.Sprintf(" (scored %s, model %s)", meta.ScoreDate.Format("2006-01-02"), meta.ModelVersion)
	case KindCSAF:
		return out, medsec.Errorf(medsec.EINVALID, "%s is a CSAF advisory; load it with 'medsec advisories import'", name)
	default:
		return out, medsec.Errorf(medsec.EINVALID, "%s: not a CSAF advisory, NVD CVE JSON 2.0, CISA KEV catalog (JSON or CSV) or FIRST EPSS CSV file", name)
	}
	return out, err
}
