package csaf

import (
	"errors"
	"fmt"
)

// Error is why a document was refused. Every error Load returns is an
// *Error, so callers can report File and Path without parsing text.
type Error struct {
	File string // name given to Load, or the file path for LoadPath
	Path string // JSON pointer of the problem; "" when it is not about one place
	Msg  string
	Err  error // underlying cause (ErrTooLarge, an *os.PathError, ...), may be nil
}

func (e *Error) Error() string {
	if e.Path != "" {
		return fmt.Sprintf("%s: invalid CSAF at %s: %s", e.File, e.Path, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Unwrap lets errors.Is find ErrTooLarge or fs errors.
func (e *Error) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by the *Error for documents above MaxDocumentSize.
var ErrTooLarge = errors.New("document too large")

// errNotAdvisory marks provider metadata, ROLIE feeds and similar JSON met
// while walking a directory; they are skipped, not reported.
var errNotAdvisory = errors.New("not a CSAF advisory")
