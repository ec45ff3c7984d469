package tabular

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encoding names reported by Reader.Encoding for CSV.
const (
	encUTF8    = "utf-8"
	encUTF8BOM = "utf-8-bom"
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
	encCP1252  = "windows-1252"
)

// sniffEncoding decides the text encoding from the first chunk of a file.
// Exports come from Windows tools (Excel "Unicode text" is UTF-16LE, older
// CMMS write Windows-1252) as often as from UTF-8 systems, so guessing is
// needed; the decision is made once, up front, because re-decoding later
// rows differently would silently corrupt data. It returns the encoding and
// the length of the byte-order mark to skip.
func sniffEncoding(head []byte, atEOF bool) (enc string, bomLen int, err error) {
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		return encUTF8BOM, 3, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(head, []byte{0, 0, 0xFE, 0xFF}):
		return "", 0, errors.New("UTF-32 text is not supported; re-save the file as UTF-8")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		return encUTF16LE, 2, nil
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return encUTF16BE, 2, nil
	}
	// UTF-16 without BOM: mostly-ASCII text has a NUL in every other byte.
	if n := len(head) &^ 1; n >= 2 {
		var even, odd int
		for i := 0; i < n; i += 2 {
			if head[i] == 0 {
				even++
			}
			if head[i+1] == 0 {
				odd++
			}
		}
		pairs := n / 2
		if odd*2 >= pairs && even*8 <= odd {
			return encUTF16LE, 0, nil
		}
		if even*2 >= pairs && odd*8 <= even {
			return encUTF16BE, 0, nil
		}
	}
	if validUTF8Prefix(head, atEOF) {
		return encUTF8, 0, nil
	}
	return encCP1252, 0, nil
}

// validUTF8Prefix is utf8.Valid, except that a rune cut off by the end of
// the sniffed chunk does not count as invalid unless the file ends there.
func validUTF8Prefix(b []byte, atEOF bool) bool {
	if !atEOF {
		// Drop an incomplete trailing rune (at most 3 bytes).
		for i := 1; i <= 3 && i <= len(b); i++ {
			c := b[len(b)-i]
			if utf8.RuneStart(c) {
				if !utf8.FullRune(b[len(b)-i:]) {
					b = b[:len(b)-i]
				}
				break
			}
		}
	}
	return utf8.Valid(b)
}

// decoder wraps r so that it yields UTF-8. For UTF-8 input the bytes pass
// through untouched and invalid sequences are caught per cell later, which
// gives an error with row and column instead of silent U+FFFD mangling.
func decoder(r io.Reader, enc string) io.Reader {
	switch enc {
	case encUTF16LE:
		return transform.NewReader(r, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case encUTF16BE:
		return transform.NewReader(r, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	case encCP1252:
		return transform.NewReader(r, charmap.Windows1252.NewDecoder())
	}
	return r
}

// errTooLong is returned by guard when one record/value grows past its limit.
var errTooLong = errors.New("record too long")

// guard bounds memory for parsers that buffer a whole record or token
// (encoding/csv, encoding/json): it fails the read once more than limit
// bytes have been consumed since ref, the input offset where the current
// record or token began. Without it an unclosed quote or a gigabyte-long
// line would be buffered in full.
type guard struct {
	r     io.Reader
	n     int64 // bytes handed out so far
	ref   int64 // offset at which the current unit started (set by the parser owner)
	limit int64
	err   error
}

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if g.n-g.ref > g.limit {
		g.err = errTooLong
		return 0, g.err
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}
