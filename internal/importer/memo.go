package importer

import "strings"

// memo caches a pure function of a cell's text for one import. A
// million-row CMMS export names a few hundred departments, makers and
// device types; working each one out again for every row (tokenising a
// department to find its care area, folding a maker's name through the
// alias dictionary) was a third of the time spent converting rows. Once
// full it stops adding, so a file whose cells are all different costs no
// more memory than memoMax entries.
type memo[V any] struct {
	m  map[string]V
	fn func(string) V
}

const memoMax = 1 << 14

func newMemo[V any](fn func(string) V) *memo[V] { return &memo[V]{m: map[string]V{}, fn: fn} }

func (c *memo[V]) get(s string) V {
	if v, ok := c.m[s]; ok {
		return v
	}
	v := c.fn(s)
	if len(c.m) < memoMax {
		// A copy: s is a slice of the whole row's text, which the map
		// would otherwise keep alive to the end of the import.
		c.m[strings.Clone(s)] = v
	}
	return v
}
