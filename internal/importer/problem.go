package importer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/medsec/medsec/internal/tabular"
)

// Problem is one thing wrong with one cell or row of a source file.
type Problem struct {
	File   string `json:"file"`
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Msg    string `json:"message"`
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Row > 0 {
		fmt.Fprintf(&b, " row %d", p.Row)
	}
	if p.Column != "" {
		if p.Row > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " column %q", p.Column)
	}
	return b.String() + ": " + p.Msg
}

func problemFrom(err error) Problem {
	var te *tabular.Error
	if errors.As(err, &te) {
		return Problem{File: te.File, Row: te.Row, Column: te.Column, Msg: te.Msg}
	}
	return Problem{Msg: err.Error()}
}

// maxProblems caps how many problems one import reports in detail; the
// count goes on past it.
const maxProblems = 200

// ProblemsError refuses a whole batch: imports are all or nothing.
type ProblemsError struct {
	File     string
	Problems []Problem
	Total    int
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d problem(s); nothing was imported", e.File, e.Total)
	for i, p := range e.Problems {
		if i == 5 {
			fmt.Fprintf(&b, "\n  … and %d more", e.Total-5)
			break
		}
		b.WriteString("\n  " + p.String())
	}
	return b.String()
}

type problems struct {
	file  string
	list  []Problem
	total int
}

func (p *problems) add(row int, col, format string, args ...any) {
	p.total++
	if len(p.list) < maxProblems {
		p.list = append(p.list, Problem{File: p.file, Row: row, Column: col, Msg: fmt.Sprintf(format, args...)})
	}
}

func (p *problems) err() error {
	if p.total == 0 {
		return nil
	}
	return &ProblemsError{File: p.file, Problems: p.list, Total: p.total}
}

// errOr returns the collected problems, or err when there are none.
func (p *problems) errOr(err error) error {
	if e := p.err(); e != nil {
		return e
	}
	return userError(err)
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
