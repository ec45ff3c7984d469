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

// ExtractDOCXText returns the text of a DOCX file's main document part:
// one line per paragraph in document order (empty paragraphs skipped),
// table rows as tab-separated cells (paragraphs within a cell joined by a
// space), line breaks inside a paragraph as newlines and pictures as
// "[picture: alt text]". Headers and footers are not included.
func ExtractDOCXText(r io.ReaderAt, size int64) (string, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	main := "word/document.xml"
	if rels, err := readZip(z, "_rels/.rels"); err == nil {
		for _, rel := range parseRels(rels) {
			if strings.HasSuffix(rel.Type, "/officeDocument") {
				main = strings.TrimPrefix(path.Clean("/"+rel.Target), "/")
			}
		}
	}
	data, err := readZip(z, main)
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	return docxText(data)
}

func readZip(z *zip.Reader, name string) ([]byte, error) {
	for _, f := range z.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return nil, err
			}
			defer rc.Close()
			return io.ReadAll(io.LimitReader(rc, 256<<20))
		}
	}
	return nil, fmt.Errorf("part %q not found", name)
}

type relationship struct {
	ID         string `xml:"Id,attr"`
	Type       string `xml:"Type,attr"`
	Target     string `xml:"Target,attr"`
	TargetMode string `xml:"TargetMode,attr"`
}

func parseRels(data []byte) []relationship {
	var rs struct {
		Rels []relationship `xml:"Relationship"`
	}
	xml.Unmarshal(data, &rs)
	return rs.Rels
}

func docxText(data []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		out    []string
		para   strings.Builder
		inText bool
		// cells[d] holds the finished cells of the current row at table
		// depth d+1; cellParas the paragraphs of the open cell.
		cells     [][]string
		cellParas [][]string
	)
	depth := func() int { return len(cells) }
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx: document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space != nsW && t.Name.Local != "docPr" {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				para.WriteByte('\t')
			case "br", "cr":
				typ := ""
				for _, a := range t.Attr {
					if a.Name.Local == "type" {
						typ = a.Value
					}
				}
				if typ == "" || typ == "textWrapping" {
					para.WriteByte('\n')
				}
			case "docPr":
				if t.Name.Space == nsWP {
					for _, a := range t.Attr {
						if a.Name.Local == "descr" {
							para.WriteString("[picture: " + a.Value + "]")
						}
					}
				}
			case "tbl":
				cells = append(cells, nil)
				cellParas = append(cellParas, nil)
			case "tr":
				if d := depth(); d > 0 {
					cells[d-1] = nil
				}
			case "tc":
				if d := depth(); d > 0 {
					cellParas[d-1] = nil
				}
			}
		case xml.EndElement:
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				s := para.String()
				para.Reset()
				if d := depth(); d > 0 {
					if s != "" {
						cellParas[d-1] = append(cellParas[d-1], s)
					}
				} else if s != "" {
					out = append(out, s)
				}
			case "tc":
				if d := depth(); d > 0 {
					cells[d-1] = append(cells[d-1], strings.Join(cellParas[d-1], " "))
				}
			case "tr":
				if d := depth(); d > 0 {
					line := strings.Join(cells[d-1], "\t")
					if d > 1 {
						// A nested table's rows become paragraphs of the
						// enclosing cell.
						cellParas[d-2] = append(cellParas[d-2], line)
					} else {
						out = append(out, line)
					}
				}
			case "tbl":
				if d := depth(); d > 0 {
					cells, cellParas = cells[:d-1], cellParas[:d-1]
				}
			}
		case xml.CharData:
			if inText {
				para.Write(t)
			}
		}
	}
	if len(cells) != 0 {
		return "", errors.New("docx: unbalanced table markup")
	}
	return strings.Join(out, "\n") + "\n", nil
}
