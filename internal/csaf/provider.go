package csaf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	gocsaf "github.com/gocsaf/csaf/v3/csaf"
)

const (
	providerMetadataName = "provider-metadata.json"
	aggregatorName       = "aggregator.json"
)

// LoadPath loads a file, every *.json under a directory (recursively), or a
// CSAF provider / aggregator layout. Per-file errors are collected, not
// fatal. It keeps every advisory (and its Raw bytes) in memory; for large
// trees prefer Each, which hands over one advisory at a time.
func LoadPath(root string) ([]*Advisory, []error) {
	var advs []*Advisory
	var errs []error
	Each(root, func(a *Advisory, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		advs = append(advs, a)
	})
	return advs, errs
}

// Each calls fn once per advisory or per-file error found under root, in a
// deterministic order, and holds at most one document itself:
//
//   - a file named provider-metadata.json is a provider layout: its ROLIE
//     feeds (and directory distributions, via their index.txt) are
//     followed, URLs being mapped onto files below its directory; the network
//     is never used;
//   - a file named aggregator.json stands for its directory;
//   - any other file is loaded as one advisory;
//   - a directory is walked recursively; a directory holding a
//     provider-metadata.json is loaded as a provider layout (its feeds are
//     then authoritative for that subtree); other *.json files are loaded,
//     skipping provider, aggregator and ROLIE documents.
//
// Errors are *Error with File set to the local path.
func Each(root string, fn func(*Advisory, error)) {
	w := &walker{fn: fn, seen: map[string]bool{}}
	fi, err := os.Stat(root)
	if err != nil {
		fn(nil, &Error{File: root, Msg: err.Error(), Err: err})
		return
	}
	switch {
	case fi.IsDir():
		w.dir(root)
	case filepath.Base(root) == providerMetadataName:
		w.provider(root)
	case filepath.Base(root) == aggregatorName:
		w.dir(filepath.Dir(root))
	default:
		w.file(root, false)
	}
}

type walker struct {
	fn   func(*Advisory, error)
	seen map[string]bool // cleaned local paths already loaded
}

func (w *walker) fail(file string, err error) {
	var e *Error
	if errors.As(err, &e) {
		w.fn(nil, e)
		return
	}
	w.fn(nil, &Error{File: file, Msg: err.Error(), Err: err})
}

// file loads one advisory once. With skipMeta, provider/ROLIE/aggregator
// JSON is ignored silently.
func (w *walker) file(p string, skipMeta bool) {
	p = filepath.Clean(p)
	if w.seen[p] {
		return
	}
	w.seen[p] = true
	raw, err := readFile(p)
	if err != nil {
		w.fail(p, err)
		return
	}
	a, err := parse(p, raw, skipMeta)
	if errors.Is(err, errNotAdvisory) {
		return
	}
	if err != nil {
		w.fail(p, err)
		return
	}
	w.fn(a, nil)
}

// readFile reads a file with the size limit, allocating once.
func readFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, &Error{File: p, Msg: err.Error(), Err: err}
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return readLimited(p, f, size)
}

func (w *walker) dir(root string) {
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			w.fail(p, err)
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			pmd := filepath.Join(p, providerMetadataName)
			if fi, err := os.Stat(pmd); err == nil && fi.Mode().IsRegular() {
				w.provider(pmd)
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && strings.EqualFold(filepath.Ext(p), ".json") {
			w.file(p, true)
		}
		return nil
	})
	if err != nil {
		w.fail(root, err)
	}
}

// urlDir pairs a URL directory (ending in "/") with the local directory
// that mirrors it.
type urlDir struct {
	u   *url.URL
	dir string
}

func (w *walker) provider(pmdPath string) {
	root := filepath.Dir(pmdPath)
	raw, err := readFile(pmdPath)
	if err != nil {
		w.fail(pmdPath, err)
		return
	}
	pmd, err := gocsaf.LoadProviderMetadata(bytes.NewReader(raw))
	if err != nil {
		w.fn(nil, &Error{File: pmdPath, Msg: "provider metadata: " + err.Error(), Err: err})
		return
	}
	base := urlDir{dir: root}
	if pmd.CanonicalURL != nil {
		if u, err := url.Parse(string(*pmd.CanonicalURL)); err == nil {
			base.u = dirURL(u)
		}
	}
	for _, dist := range pmd.Distributions {
		if dist.Rolie != nil {
			for _, feed := range dist.Rolie.Feeds {
				if feed.URL == nil {
					continue
				}
				fp, fu, err := localize(root, string(*feed.URL), base)
				if err != nil {
					w.fn(nil, &Error{File: pmdPath, Msg: fmt.Sprintf("ROLIE feed %q: %v", *feed.URL, err), Err: err})
					continue
				}
				w.feed(root, fp, urlDir{u: dirURL(fu), dir: filepath.Dir(fp)}, base)
			}
		}
		if dist.DirectoryURL != "" {
			ref := strings.TrimSuffix(dist.DirectoryURL, "/") + "/index.txt"
			ip, iu, err := localize(root, ref, base)
			if err != nil {
				w.fn(nil, &Error{File: pmdPath, Msg: fmt.Sprintf("directory distribution %q: %v", dist.DirectoryURL, err), Err: err})
				continue
			}
			w.index(root, ip, urlDir{u: dirURL(iu), dir: filepath.Dir(ip)}, base)
		}
	}
}

// feed loads every entry of a ROLIE feed; entry URLs are tried relative
// to the feed first, then to the provider.
func (w *walker) feed(root, feedPath string, here, base urlDir) {
	raw, err := readFile(feedPath)
	if err != nil {
		w.fail(feedPath, err)
		return
	}
	rf, err := gocsaf.LoadROLIEFeed(bytes.NewReader(raw))
	if err != nil {
		w.fn(nil, &Error{File: feedPath, Msg: "ROLIE feed: " + err.Error(), Err: err})
		return
	}
	for _, e := range rf.Feed.Entry {
		// content.src names the document; real feeds (gocsaf's own test
		// provider among them) sometimes get it wrong while the "self"
		// link is right, so both are tried.
		refs := []string{e.Content.Src}
		for _, l := range e.Link {
			if l.Rel == "self" && l.HRef != e.Content.Src {
				refs = append(refs, l.HRef)
			}
		}
		var p string
		var err error
		for _, ref := range refs {
			if ref == "" {
				continue
			}
			if p, _, err = localize(root, ref, here, base); err == nil {
				break
			}
		}
		switch {
		case p != "":
			w.file(p, false)
		case err != nil:
			w.fn(nil, &Error{File: feedPath, Msg: fmt.Sprintf("entry %q: %v", e.ID, err), Err: err})
		default:
			w.fn(nil, &Error{File: feedPath, Msg: fmt.Sprintf("entry %q has no content src", e.ID)})
		}
	}
}

// index loads the advisories a directory distribution lists in its
// index.txt (one relative path per line).
func (w *walker) index(root, indexPath string, here, base urlDir) {
	raw, err := readFile(indexPath)
	if err != nil {
		w.fail(indexPath, err)
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		p, _, err := localize(root, line, here, base)
		if err != nil {
			w.fn(nil, &Error{File: indexPath, Msg: fmt.Sprintf("entry %q: %v", line, err), Err: err})
			continue
		}
		w.file(p, false)
	}
}

// localize maps a URL or relative reference from a provider's documents
// onto an existing regular file below root. The reference is resolved
// against the first context's URL; if it then lies under one of the
// contexts' URL directories it maps onto that context's local directory.
// Failing that, the longest suffix of its path that exists below root is
// used, so mirrors whose canonical_url names another host still work.
// Nothing outside root is ever returned.
func localize(root, ref string, ctx ...urlDir) (string, *url.URL, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return "", nil, err
	}
	if !u.IsAbs() && len(ctx) > 0 && ctx[0].u != nil {
		u = ctx[0].u.ResolveReference(u)
	}
	for _, c := range ctx {
		if c.u == nil || u.Scheme != c.u.Scheme || u.Host != c.u.Host || !strings.HasPrefix(u.Path, c.u.Path) {
			continue
		}
		if p, ok := existing(c.dir, strings.TrimPrefix(u.Path, c.u.Path)); ok && within(root, p) {
			return p, u, nil
		}
	}
	segs := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := range segs {
		if p, ok := existing(root, path.Join(segs[i:]...)); ok {
			return p, u, nil
		}
	}
	return "", nil, fmt.Errorf("no local file for %s below %s (the network is never used)", u.Redacted(), root)
}

// existing joins a slash-separated relative path onto dir if it stays
// inside dir and names a regular file.
func existing(dir, rel string) (string, bool) {
	rel = filepath.FromSlash(rel)
	if !filepath.IsLocal(rel) {
		return "", false
	}
	p := filepath.Join(dir, rel)
	fi, err := os.Stat(p)
	return p, err == nil && fi.Mode().IsRegular()
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && filepath.IsLocal(rel)
}

// dirURL is the directory part of u, ending in "/".
func dirURL(u *url.URL) *url.URL {
	d := *u
	d.RawQuery, d.Fragment, d.RawPath = "", "", ""
	d.Path = path.Dir(u.Path)
	if !strings.HasSuffix(d.Path, "/") {
		d.Path += "/"
	}
	return &d
}
