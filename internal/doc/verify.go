package doc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// VerifyDOCX checks a DOCX package's structure: every XML part parses,
// every part has a declared content type, every content-type override and
// every internal relationship target exists, and every r:id/r:embed used
// in a part is defined in that part's relationships. It returns all
// problems found, joined.
func VerifyDOCX(r io.ReaderAt, size int64) error {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	parts := map[string][]byte{}
	var errs []error
	for _, f := range z.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := parts[f.Name]; dup {
			errs = append(errs, fmt.Errorf("duplicate part %q", f.Name))
		}
		rc, err := f.Open()
		if err != nil {
			return fmt.Errorf("docx: %s: %w", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("docx: %s: %w", f.Name, err)
		}
		parts[f.Name] = data
	}
	for name, data := range parts {
		if ext := path.Ext(name); ext == ".xml" || ext == ".rels" {
			if err := wellFormed(data); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	}
	ct, ok := parts["[Content_Types].xml"]
	if !ok {
		return errors.New("docx: [Content_Types].xml missing")
	}
	var types struct {
		Defaults []struct {
			Ext string `xml:"Extension,attr"`
		} `xml:"Default"`
		Overrides []struct {
			Part string `xml:"PartName,attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(ct, &types); err != nil {
		return fmt.Errorf("docx: [Content_Types].xml: %w", err)
	}
	exts, overrides := map[string]bool{}, map[string]bool{}
	for _, d := range types.Defaults {
		exts[strings.ToLower(d.Ext)] = true
	}
	for _, o := range types.Overrides {
		p := strings.TrimPrefix(o.Part, "/")
		overrides[p] = true
		if _, ok := parts[p]; !ok {
			errs = append(errs, fmt.Errorf("content type override for missing part %q", o.Part))
		}
	}
	for name := range parts {
		if name == "[Content_Types].xml" {
			continue
		}
		if !overrides[name] && !exts[strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))] {
			errs = append(errs, fmt.Errorf("part %q has no content type", name))
		}
	}
	if _, ok := parts["_rels/.rels"]; !ok {
		errs = append(errs, errors.New("_rels/.rels missing"))
	}
	for name, data := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		dir, file := path.Split(name)
		source := path.Join(path.Dir(strings.TrimSuffix(dir, "/")), strings.TrimSuffix(file, ".rels"))
		if dir == "_rels/" {
			source = ""
		} else if _, ok := parts[source]; !ok {
			errs = append(errs, fmt.Errorf("%s: source part %q missing", name, source))
		}
		ids := map[string]bool{}
		for _, rel := range parseRels(data) {
			if ids[rel.ID] {
				errs = append(errs, fmt.Errorf("%s: duplicate relationship id %q", name, rel.ID))
			}
			ids[rel.ID] = true
			if rel.TargetMode == "External" {
				continue
			}
			target := path.Join(path.Dir(source), rel.Target)
			if strings.HasPrefix(rel.Target, "/") {
				target = strings.TrimPrefix(rel.Target, "/")
			}
			if _, ok := parts[target]; !ok {
				errs = append(errs, fmt.Errorf("%s: relationship %s targets missing part %q", name, rel.ID, target))
			}
		}
		if source != "" {
			for _, id := range relIDsUsed(parts[source]) {
				if !ids[id] {
					errs = append(errs, fmt.Errorf("%s uses undefined relationship %q", source, id))
				}
			}
		}
	}
	// Parts that use relationship ids but have no .rels at all.
	for name, data := range parts {
		if path.Ext(name) != ".xml" {
			continue
		}
		dir, file := path.Split(name)
		if _, ok := parts[dir+"_rels/"+file+".rels"]; !ok {
			if ids := relIDsUsed(data); len(ids) > 0 {
				errs = append(errs, fmt.Errorf("%s uses relationships %v but has no .rels part", name, ids))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("docx: %w", errors.Join(errs...))
	}
	return nil
}

func wellFormed(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// relIDsUsed lists attribute values in the relationships namespace
// (r:id, r:embed, r:link, ...).
func relIDsUsed(data []byte) []string {
	var ids []string
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return ids
		}
		if se, ok := tok.(xml.StartElement); ok {
			for _, a := range se.Attr {
				if a.Name.Space == nsR {
					ids = append(ids, a.Value)
				}
			}
		}
	}
}
