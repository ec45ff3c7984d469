// Package correlate recognises the same physical device across the
// biomedical CMMS, the IT CMDB and passive network monitoring, as the
// hospital contract requires ("so the same asset is easily recognizable in
// either system").
//
// It is pure: records in, clusters out; no I/O, no logging, no database, so
// every rule is table-testable and a re-run on the same input gives the same
// output byte for byte.
//
// The method, in order:
//
//  1. Records are prepared: identifiers re-normalised (idempotent),
//     manufacturers resolved to catalog names (NIC/OUI vendor names count as
//     "unknown maker", never as disagreement), models resolved to catalog
//     models, classes sorted into medical / non-medical / unknown.
//  2. Blocking (blocking.go): only pairs sharing a key (serial, serial with
//     one character deleted, MAC, hostname, IP, asset tag) are compared, so
//     cost grows with the number of records, not its square. Blocks larger
//     than MaxBlock are values shared by too many records to identify
//     anything (placeholder serials, NAT addresses, "iPhone"): they produce
//     no pairs and their agreement carries no weight.
//  3. Scoring (compare.go, weights.go): Fellegi–Sunter log2(m/u) weights per
//     field and agreement level, with hard conflicts (conflict.go) that
//     forbid a link whatever the weight.
//  4. Clustering (cluster.go): human confirms first, then deterministic
//     links (exact MAC, exact serial of a compatible maker, CMMS equipment
//     ID = CMDB asset tag), then probabilistic links at or above
//     LinkThreshold, strongest first, through a union-find that refuses to
//     merge two clusters holding a conflicting pair, a rejected pair, or two
//     CMMS records.
//  5. Review and classification: unlinked pairs between ReviewThreshold and
//     LinkThreshold, and strong links refused by a cluster conflict, go to
//     the human review queue; clusters without CMMS record and with only
//     non-medical classes are reported as non-medical.
package correlate

import "time"

// Source names the system a record comes from.
type Source string

// The three sources the engine knows. Any other value is treated like a
// network-side source (neither CMMS nor CMDB).
const (
	CMMS       Source = "cmms"
	CMDB       Source = "cmdb"
	Monitoring Source = "monitoring"
)

// Record is one row of one source, with identifiers already normalised by
// the caller with internal/normalize ("" = missing). The engine normalises
// again (the functions are idempotent), so raw values are tolerated.
type Record struct {
	ID           int64  // caller's id of the source record; must be unique
	Source       Source // CMMS, CMDB or Monitoring
	Key          string // record key as in the file (Equipment ID / sys_id / Device ID)
	Serial       string
	MAC          string
	IP           string
	Hostname     string
	Manufacturer string    // as written; NIC/OUI vendor names are recognised
	Model        string    // as written: name, variant or model number
	AssetTag     string    // CMMS equipment ID; CMDB asset_tag (often the CMMS ID or empty)
	Class        string    // CMDB sys_class_name, monitoring device type or CMMS device type
	LastSeen     time.Time // zero when the source does not say (CMMS)
}

// DecisionKind is a human verdict on a pair of records.
type DecisionKind string

// Decision kinds.
const (
	Confirm DecisionKind = "confirm" // these two are the same device
	Reject  DecisionKind = "reject"  // these two are never the same device
)

// Decision is a reviewer's verdict on records A and B. Merging two clusters
// is a Confirm between any of their records; splitting one is a Reject
// between the records that must be apart.
type Decision struct {
	A, B   int64
	Kind   DecisionKind
	By     string
	Reason string
}

// Evidence explains one field's contribution to a link's weight.
type Evidence struct {
	Field  string
	A, B   string
	Agree  bool
	Weight float64
	Note   string
}

// Link is a scored pair of records, A < B.
type Link struct {
	A, B       int64
	Weight     float64 // sum of Evidence weights, log2 likelihood ratio
	Confidence float64 // 0..1, see confidence in weights.go; 1 when Decided
	Evidence   []Evidence
	Decided    bool // joined by a human confirm
}

// Cluster is one physical device: its records and the links that joined them.
type Cluster struct {
	Records    []int64 // sorted
	Links      []Link  // the spanning edges that joined the cluster, sorted by (A, B)
	Confidence float64 // the weakest link's confidence; 1 for singletons
}

// Candidate is a pair worth a human look: scored between ReviewThreshold and
// LinkThreshold, or a strong pair the engine refused to merge automatically
// (two CMMS records, a conflict elsewhere in the clusters, a confirm that
// contradicts a reject). The last Evidence entry says which.
type Candidate struct{ Link }

// Result is the engine's output.
type Result struct {
	// Clusters holds every input record exactly once, singletons included,
	// ordered by each cluster's smallest record ID.
	Clusters []Cluster
	// Review is ordered by weight (highest first), then (A, B).
	Review []Candidate
	// NonMedical maps record ID → reason for records of clusters that are
	// network gear, IT or personal devices, excluded from the medical inventory.
	NonMedical map[int64]string
}

// Run correlates records. Decisions naming unknown record IDs are ignored,
// so the caller can pass all decisions when re-running on a subset (see
// KeyIndex).
func Run(records []Record, decisions []Decision, cfg Config) Result {
	e := newEngine(records, cfg)
	e.loadDecisions(decisions)
	e.block()
	e.scorePairs()
	e.cluster()
	return e.result()
}
