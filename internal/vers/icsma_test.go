package vers

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestICSMARanges runs every version text found in the shipped CISA ICSMA
// advisories (testdata/icsma_ranges.txt): each must either parse Certain with
// at least one version it matches and one it does not (only "all versions"
// has nothing outside it), or be uncertain with a reason; and it must keep
// the certainty recorded in the file, so a change of interpretation is seen.
func TestICSMARanges(t *testing.T) {
	f, err := os.Open("testdata/icsma_ranges.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var certain, unsure int
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		if sc.Text() == "" || strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		p := strings.SplitN(sc.Text(), "\t", 4)
		if len(p) != 4 {
			t.Fatalf("line %d: want 4 tab-separated fields", line)
		}
		id, want, text := p[0], p[2], p[3]
		c := ParseConstraint(text)
		if got := map[bool]string{true: "certain", false: "uncertain"}[c.Certain]; got != want {
			t.Errorf("%s %q: %s (%s), file says %s", id, text, got, c, want)
			continue
		}
		if !c.Certain {
			unsure++
			if c.Reason == "" {
				t.Errorf("%s %q: uncertain without a reason", id, text)
			}
			if r, _ := c.Match("1.0"); r != Unknown {
				t.Errorf("%s %q: uncertain range answered %v", id, text, r)
			}
			continue
		}
		certain++
		var yes, no string
		for _, v := range probes(c) {
			switch r, _ := c.Match(v); r {
			case Yes:
				yes = v
			case No:
				no = v
			}
		}
		if yes == "" || no == "" && !c.AllVersions() {
			t.Errorf("%s %q [%s]: no probe matched (yes=%q) or missed (no=%q)", id, text, c, yes, no)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("ICSMA version texts: %d certain, %d uncertain", certain, unsure)
}

// probes derives device versions around every bound of c: the bound itself
// and its last number (or letter) one up and one down.
func probes(c Constraint) []string {
	out := []string{"0", "1", "99999"}
	for _, r := range c.Ranges {
		for _, b := range []*Bound{r.Lower, r.Upper} {
			if b == nil {
				continue
			}
			s := b.Version.Raw
			for strings.HasSuffix(strings.ToLower(s), ".x") {
				s = s[:len(s)-2]
			}
			out = append(out, s, bump(s, 1), bump(s, -1))
		}
	}
	return out
}

// bump adds d to the last run of digits in s, or to its last letter.
func bump(s string, d int) string {
	end := len(s)
	for end > 0 && !isDigit(s[end-1]) {
		end--
	}
	if end == 0 {
		if s == "" {
			return s
		}
		return s[:len(s)-1] + string(rune(s[len(s)-1]+byte(d)))
	}
	start := end
	for start > 0 && isDigit(s[start-1]) {
		start--
	}
	n, err := strconv.ParseUint(s[start:end], 10, 64)
	if err != nil || int64(n)+int64(d) < 0 {
		return s
	}
	num := strconv.FormatUint(uint64(int64(n)+int64(d)), 10)
	if w := end - start; len(num) < w { // keep zero padding: 012U000061 -> 012U000062
		num = strings.Repeat("0", w-len(num)) + num
	}
	return s[:start] + num + s[end:]
}
