package doc

import (
	"bufio"
	"io"
	"regexp"
	"strings"
)

// WriteMarkdown renders d as GitHub-flavoured Markdown: the title as a
// level-1 heading, sections one level below, tables as pipe tables (with
// | escaped and line breaks as <br>), charts as their data tables and page
// breaks as thematic breaks. Text is escaped so that it never turns into
// markup, links or HTML.
func WriteMarkdown(w io.Writer, d *Document) error {
	if d == nil {
		d = &Document{}
	}
	bw := bufio.NewWriter(w)
	block := func(s string) {
		bw.WriteString(s)
		bw.WriteString("\n\n")
	}
	if t := oneLine(d.Title); t != "" {
		block("# " + mdEscape(t))
	}
	if d.Subtitle != "" {
		block("_" + mdEscape(oneLine(d.Subtitle)) + "_")
	}
	if len(d.Meta) > 0 {
		block(mdKeyValue(d.Meta))
	}
	for _, s := range d.Sections {
		if h := oneLine(s.Heading); h != "" {
			block(strings.Repeat("#", level(s.Level)+1) + " " + mdEscape(h))
		}
		for _, b := range s.Blocks {
			switch v := normalize(b).(type) {
			case Paragraph:
				if p := mdParagraph(v); p != "" {
					block(p)
				}
			case BulletList:
				var lines []string
				for _, it := range v.Items {
					lines = append(lines, "- "+mdLines(it, "  \n  "))
				}
				if len(lines) > 0 {
					block(strings.Join(lines, "\n"))
				}
			case Table:
				mdTable(block, v)
			case KeyValue:
				if v.Title != "" {
					block("**" + mdEscape(oneLine(v.Title)) + "**")
				}
				if len(v.Items) > 0 {
					block(mdKeyValue(v.Items))
				}
			case Chart:
				t := v.dataTable()
				if t.Caption == "" {
					t.Caption = "Chart"
				}
				t.Caption = "Chart: " + t.Caption
				mdTable(block, t)
			case PageBreak:
				block("---")
			}
		}
	}
	return bw.Flush()
}

func mdKeyValue(items []KV) string {
	var lines []string
	for _, kv := range items {
		lines = append(lines, "- **"+mdEscape(oneLine(kv.Key))+":** "+mdLines(kv.Value, "  \n  "))
	}
	return strings.Join(lines, "\n")
}

func mdParagraph(p Paragraph) string {
	var b strings.Builder
	for _, r := range p.Runs {
		text := mdLines(r.Text, "  \n")
		if strings.TrimSpace(text) == "" {
			b.WriteString(text)
			continue
		}
		if r.Bold {
			// Emphasis markers must hug the text, so keep surrounding
			// spaces outside them.
			trimmed := strings.TrimSpace(text)
			lead := text[:strings.Index(text, trimmed)]
			trail := text[len(lead)+len(trimmed):]
			b.WriteString(lead + "**" + trimmed + "**" + trail)
			continue
		}
		b.WriteString(text)
	}
	return strings.TrimSpace(b.String())
}

// mdLines escapes multi-line text, joining lines with br (a hard break).
func mdLines(s, br string) string {
	lines := strings.Split(cleanText(s), "\n")
	for i, l := range lines {
		lines[i] = mdEscape(l)
	}
	return strings.Join(lines, br)
}

var (
	mdSpecial = strings.NewReplacer(`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`, `<`, `\<`, `>`, `\>`, `|`, `\|`, `~`, `\~`)
	mdEntity  = regexp.MustCompile(`&(#?[A-Za-z0-9]+;)`)
	// A block marker at the start of a line: "#", "-", "+" or "=" followed
	// by a space, the end or a repeat (headings, list items, thematic
	// breaks, setext underlines), or "1." / "1)" followed by a space or
	// the end (ordered lists). The last submatch is the marker character
	// to escape.
	mdLineStart = regexp.MustCompile(`^\s*(?:([#+\-=])(?:\s|$|[#+\-=])|\d{1,9}([.)])(?:\s|$))`)
)

// mdEscape escapes one line of text so it renders literally: inline
// markup characters everywhere, entity references, and block markers
// (headings, list items, setext underlines) at the start of the line.
func mdEscape(s string) string {
	s = mdSpecial.Replace(s)
	s = mdEntity.ReplaceAllString(s, `\&$1`)
	if m := mdLineStart.FindStringSubmatchIndex(s); m != nil {
		i := m[2]
		if i < 0 {
			i = m[4]
		}
		s = s[:i] + `\` + s[i:]
	}
	return s
}

func mdCell(s string) string {
	s = strings.TrimSpace(mdLines(s, "<br>"))
	return s
}

func mdTable(block func(string), t Table) {
	if t.Caption != "" {
		block("**" + mdEscape(oneLine(t.Caption)) + "**")
	}
	head, rows, cols := t.grid()
	if cols == 0 {
		return
	}
	if head == nil {
		head = make([]string, cols)
	}
	var b strings.Builder
	row := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + mdCell(c) + " |")
		}
		b.WriteString("\n")
	}
	row(head)
	b.WriteString("|" + strings.Repeat(" --- |", cols) + "\n")
	for _, r := range rows {
		row(r)
	}
	block(strings.TrimSuffix(b.String(), "\n"))
}
