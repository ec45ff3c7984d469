package nvd

import (
	"strings"
	"time"
)

// CVE is one NVD API 2.0 "cve" object. Fields NVD may omit are left empty.
type CVE struct {
	ID               string      `json:"id"`
	SourceIdentifier string      `json:"sourceIdentifier,omitempty"`
	Published        string      `json:"published,omitempty"`    // "2020-11-13T16:15:18.027" (UTC, no zone)
	LastModified     string      `json:"lastModified,omitempty"` // same layout
	VulnStatus       string      `json:"vulnStatus,omitempty"`
	Descriptions     []LangValue `json:"descriptions,omitempty"`
	Metrics          Metrics     `json:"metrics"`
	Weaknesses       []Weakness  `json:"weaknesses,omitempty"`
	Configurations   []Config    `json:"configurations,omitempty"`
	References       []Reference `json:"references,omitempty"`
}

// LangValue is a text in one language.
type LangValue struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

// Weakness is one CWE assignment by one source.
type Weakness struct {
	Source      string      `json:"source"`
	Type        string      `json:"type"` // "Primary" or "Secondary"
	Description []LangValue `json:"description"`
}

// Reference is one reference URL with its tags.
type Reference struct {
	URL    string   `json:"url"`
	Source string   `json:"source,omitempty"`
	Tags   []string `json:"tags,omitempty"`
}

// Metrics holds the CVSS metrics of each version; any may be empty (NVD
// sends "metrics": {} for records not analysed yet).
type Metrics struct {
	V40 []Metric `json:"cvssMetricV40,omitempty"`
	V31 []Metric `json:"cvssMetricV31,omitempty"`
	V30 []Metric `json:"cvssMetricV30,omitempty"`
	V2  []Metric `json:"cvssMetricV2,omitempty"`
}

// Metric is one CVSS assessment by one source. Type is "Primary" (the NVD's
// own, or the CNA's when NVD has none) or "Secondary".
type Metric struct {
	Source string   `json:"source"`
	Type   string   `json:"type"`
	Data   CVSSData `json:"cvssData"`
	// BaseSeverity is set here, outside cvssData, for CVSS v2 only.
	BaseSeverity        string  `json:"baseSeverity,omitempty"`
	ExploitabilityScore float64 `json:"exploitabilityScore,omitempty"`
	ImpactScore         float64 `json:"impactScore,omitempty"`
}

// CVSSData is the vector and base score of a Metric. The individual metric
// values are in the vector, so they are not repeated here.
type CVSSData struct {
	Version      string  `json:"version"`
	VectorString string  `json:"vectorString"`
	BaseScore    float64 `json:"baseScore"`
	BaseSeverity string  `json:"baseSeverity,omitempty"` // v3.x, v4.0
}

// Severity is the metric's base severity wherever the version puts it.
func (m Metric) Severity() string {
	if m.Data.BaseSeverity != "" {
		return m.Data.BaseSeverity
	}
	return m.BaseSeverity
}

// Primary reports whether the metric is the primary assessment.
func (m Metric) Primary() bool { return strings.EqualFold(m.Type, "Primary") }

// All lists every metric, newest CVSS version first, primary before
// secondary within a version.
func (ms Metrics) All() []Metric {
	var out []Metric
	for _, l := range [][]Metric{ms.V40, ms.V31, ms.V30, ms.V2} {
		for _, m := range l {
			if m.Primary() {
				out = append(out, m)
			}
		}
		for _, m := range l {
			if !m.Primary() {
				out = append(out, m)
			}
		}
	}
	return out
}

// Best is the metric to show by default: the newest CVSS version present,
// its primary assessment if there is one. ok is false when there is none.
func (ms Metrics) Best() (m Metric, ok bool) {
	all := ms.All()
	if len(all) == 0 {
		return Metric{}, false
	}
	return all[0], true
}

// Description is the English description ("" when there is none).
func (c *CVE) Description() string {
	for _, d := range c.Descriptions {
		if d.Lang == "en" {
			return d.Value
		}
	}
	return ""
}

// CWEs lists the distinct CWE ids of the record's weaknesses ("CWE-287"),
// primary sources first. Placeholders such as "NVD-CWE-noinfo" and
// "NVD-CWE-Other" are kept: they say NVD looked and found none.
func (c *CVE) CWEs() []string {
	var out []string
	seen := map[string]bool{}
	for _, primary := range []bool{true, false} {
		for _, w := range c.Weaknesses {
			if strings.EqualFold(w.Type, "Primary") != primary {
				continue
			}
			for _, d := range w.Description {
				if d.Value != "" && !seen[d.Value] {
					seen[d.Value] = true
					out = append(out, d.Value)
				}
			}
		}
	}
	return out
}

// Config is one configuration: its nodes combined by Operator ("AND" or
// "OR"; NVD omits it when there is one node, which means OR).
type Config struct {
	Operator string `json:"operator,omitempty"`
	Negate   bool   `json:"negate,omitempty"`
	Nodes    []Node `json:"nodes"`
}

// Node is a list of cpeMatch entries combined by Operator.
type Node struct {
	Operator string     `json:"operator"`
	Negate   bool       `json:"negate"`
	CPEMatch []CPEMatch `json:"cpeMatch"`
}

// CPEMatch is one match criterion: a CPE 2.3 string and optional version
// bounds. Vulnerable false marks a platform condition, such as the hardware
// a vulnerable firmware runs on.
type CPEMatch struct {
	Vulnerable            bool   `json:"vulnerable"`
	Criteria              string `json:"criteria"`
	MatchCriteriaID       string `json:"matchCriteriaId,omitempty"`
	VersionStartIncluding string `json:"versionStartIncluding,omitempty"`
	VersionStartExcluding string `json:"versionStartExcluding,omitempty"`
	VersionEndIncluding   string `json:"versionEndIncluding,omitempty"`
	VersionEndExcluding   string `json:"versionEndExcluding,omitempty"`
}

// timeLayout is NVD's timestamp layout: UTC without a zone designator.
const timeLayout = "2006-01-02T15:04:05.999"

// ParseTime parses an NVD timestamp ("2020-11-13T16:15:18.027") as UTC. It
// also accepts RFC 3339 with a zone.
func ParseTime(s string) (time.Time, error) {
	if t, err := time.Parse(timeLayout, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}
