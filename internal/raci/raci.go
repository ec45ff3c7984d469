// Package raci holds the shared-responsibility (RACI) matrix of a
// biomedical services agreement as editable data: which party is
// Responsible, Accountable, Consulted or Informed for each device-security
// and maintenance activity.
//
// The matrix exists because of one well-known failure: each party assumes
// the other is doing the task. Validate therefore insists on exactly one
// Accountable and at least one Responsible party per activity, Route sends
// each piece of work to the party accountable for it, Diff shows what an
// agreement revision changes, and ToDoc renders the exhibit table.
//
// Templates returns a reasoned starting matrix per deployment type
// (ISO/TR 80001-2-6 and Health-ISAC's shared-responsibility model); users
// edit the result, it is never a constant in code.
package raci

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Role is a set of RACI letters one party holds for one activity. A party
// may hold several (A/R is common: the party owns and does the work).
type Role uint8

// The four RACI roles.
const (
	R Role = 1 << iota // Responsible: does the work
	A                  // Accountable: owns the outcome, signs off; exactly one per activity
	C                  // Consulted: asked before (two-way)
	I                  // Informed: told after (one-way)
)

// None is the empty role: the party has no part in the activity.
const None Role = 0

// String prints the role as "A/R", "R", "C/I" ..., or "—" for none, in
// the order A, R, C, I.
func (r Role) String() string {
	var parts []string
	for _, x := range []struct {
		bit Role
		s   string
	}{{A, "A"}, {R, "R"}, {C, "C"}, {I, "I"}} {
		if r&x.bit != 0 {
			parts = append(parts, x.s)
		}
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "/")
}

// Has reports whether r includes every letter of x.
func (r Role) Has(x Role) bool { return x != 0 && r&x == x }

// ParseRole reads "A/R", "RA", "r, a", "—", "-" or "" (none).
func ParseRole(s string) (Role, error) {
	var r Role
	for _, c := range strings.ToUpper(s) {
		switch c {
		case 'R':
			r |= R
		case 'A':
			r |= A
		case 'C':
			r |= C
		case 'I':
			r |= I
		case '/', ',', ' ', '-', '—', '–', '+':
		default:
			return 0, fmt.Errorf("RACI: role %q: unknown letter %q (use R, A, C, I)", s, c)
		}
	}
	return r, nil
}

// MarshalText stores a role as its letters ("" for none).
func (r Role) MarshalText() ([]byte, error) {
	if r == None {
		return []byte{}, nil
	}
	return []byte(r.String()), nil
}

// UnmarshalText is the inverse of MarshalText.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	*r = v
	return err
}

// Party is one organisation or team that can hold a role.
type Party struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Org says which side of the agreement the party is on: "HDO",
	// "Provider" or "Manufacturer".
	Org string `json:"org,omitempty"`
}

// Activity is one line of the matrix.
type Activity struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Row holds the roles of every party for one activity, and why.
type Row struct {
	Activity Activity        `json:"activity"`
	Roles    map[string]Role `json:"roles"` // party ID → role
	// Rationale explains the assignment, for the exhibit and for the
	// people who edit it later.
	Rationale string `json:"rationale,omitempty"`
}

// WorkKind is a kind of work item medsec routes to a party.
type WorkKind string

// Work kinds that Route knows by default.
const (
	WorkFinding    WorkKind = "finding"     // a vulnerability matched to a device
	WorkOrder      WorkKind = "work_order"  // a maintenance or repair order
	WorkException  WorkKind = "exception"   // a risk exception request for a legacy device
	WorkSLAWarning WorkKind = "sla_warning" // a service-level clock close to breach
)

// DeploymentType is the kind of deployment a template is for.
type DeploymentType string

// Deployment types, as in ISO/TR 80001-2-6 and Health-ISAC templates.
const (
	Standalone    DeploymentType = "standalone"
	Networked     DeploymentType = "networked"
	System        DeploymentType = "system"
	VendorManaged DeploymentType = "vendor_managed"
)

// Matrix is the responsibility matrix of one agreement (or one deployment
// type within it).
type Matrix struct {
	Name       string         `json:"name"`
	Deployment DeploymentType `json:"deployment,omitempty"`
	Parties    []Party        `json:"parties"`
	Rows       []Row          `json:"rows"`
	// Routes maps each work kind to the activity (by ID) whose
	// accountable party receives it.
	Routes map[WorkKind]string `json:"routes,omitempty"`
}

// Party returns the party with the given ID.
func (m Matrix) Party(id string) (Party, bool) {
	for _, p := range m.Parties {
		if p.ID == id {
			return p, true
		}
	}
	return Party{}, false
}

func (m Matrix) partyName(id string) string {
	if p, ok := m.Party(id); ok && p.Name != "" {
		return p.Name
	}
	return id
}

// Row returns the row of the activity with the given ID.
func (m Matrix) Row(activityID string) (Row, bool) {
	for _, r := range m.Rows {
		if r.Activity.ID == activityID {
			return r, true
		}
	}
	return Row{}, false
}

// Set gives a party a role for an activity (None removes it).
func (m *Matrix) Set(activityID, partyID string, role Role) error {
	if _, ok := m.Party(partyID); !ok {
		return fmt.Errorf("RACI: unknown party %q", partyID)
	}
	for i := range m.Rows {
		if m.Rows[i].Activity.ID == activityID {
			if m.Rows[i].Roles == nil {
				m.Rows[i].Roles = map[string]Role{}
			}
			if role == None {
				delete(m.Rows[i].Roles, partyID)
			} else {
				m.Rows[i].Roles[partyID] = role
			}
			return nil
		}
	}
	return fmt.Errorf("RACI: unknown activity %q", activityID)
}

// Clone returns a deep copy, so edits to it leave m unchanged.
func (m Matrix) Clone() Matrix {
	b, _ := json.Marshal(m)
	var c Matrix
	json.Unmarshal(b, &c)
	return c
}

// holders lists the parties (in matrix order) whose role includes x.
func (m Matrix) holders(row Row, x Role) []Party {
	var out []Party
	for _, p := range m.Parties {
		if row.Roles[p.ID].Has(x) {
			out = append(out, p)
		}
	}
	return out
}

func names(ps []Party) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return strings.Join(s, ", ")
}

// ValidationError lists every problem of a matrix; its message has one
// line per problem.
type ValidationError struct{ Problems []string }

func (e *ValidationError) Error() string { return strings.Join(e.Problems, "\n") }

// Validate checks that every activity has exactly one Accountable party
// and at least one Responsible party, that roles name known parties, that
// IDs are unique and that routes point at activities. It reports every
// failing activity, not just the first, as a *ValidationError.
func (m Matrix) Validate() error {
	var probs []string
	add := func(format string, args ...any) { probs = append(probs, "RACI: "+fmt.Sprintf(format, args...)) }
	seenP := map[string]bool{}
	for _, p := range m.Parties {
		switch {
		case p.ID == "":
			add("party %q has no ID", p.Name)
		case seenP[p.ID]:
			add("party ID %q is used twice", p.ID)
		}
		seenP[p.ID] = true
	}
	seenA := map[string]bool{}
	for _, r := range m.Rows {
		name := r.Activity.Name
		if name == "" {
			name = r.Activity.ID
		}
		switch {
		case r.Activity.ID == "":
			add("activity %q has no ID", name)
		case seenA[r.Activity.ID]:
			add("activity ID %q is used twice", r.Activity.ID)
		}
		seenA[r.Activity.ID] = true
		unknown := []string{}
		for id := range r.Roles {
			if !seenP[id] {
				unknown = append(unknown, id)
			}
		}
		sort.Strings(unknown)
		for _, id := range unknown {
			add("activity %q assigns %s to unknown party %q", name, r.Roles[id], id)
		}
		switch acc := m.holders(r, A); len(acc) {
		case 1:
		case 0:
			add("activity %q has no Accountable party; exactly one is required", name)
		default:
			add("activity %q has %d Accountable (%s); exactly one is required", name, len(acc), names(acc))
		}
		if len(m.holders(r, R)) == 0 {
			add("activity %q has no Responsible party; at least one is required", name)
		}
	}
	kinds := make([]string, 0, len(m.Routes))
	for k := range m.Routes {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if id := m.Routes[WorkKind(k)]; !seenA[id] {
			add("work kind %q is routed to unknown activity %q", k, id)
		}
	}
	if len(probs) > 0 {
		return &ValidationError{Problems: probs}
	}
	return nil
}

// Routing says who owns a piece of work.
type Routing struct {
	Kind        WorkKind
	Activity    Activity
	Accountable Party
	Responsible []Party
	Consulted   []Party
	// Informed are the parties to notify: those holding I for the
	// activity, in matrix order.
	Informed []Party
}

// Route returns the accountable party (and the responsible, consulted and
// informed parties) for a kind of work, through the activity the matrix
// maps it to (DefaultRoutes when the matrix has none for the kind). It
// fails if the activity does not have exactly one Accountable party: work
// must never go to nobody, or to two parties who each assume the other
// has it.
func (m Matrix) Route(kind WorkKind) (Routing, error) {
	id, ok := m.Routes[kind]
	if !ok {
		id, ok = DefaultRoutes()[kind]
	}
	if !ok {
		return Routing{}, fmt.Errorf("RACI: no activity is mapped to work kind %q", kind)
	}
	row, ok := m.Row(id)
	if !ok {
		return Routing{}, fmt.Errorf("RACI: work kind %q maps to unknown activity %q", kind, id)
	}
	acc := m.holders(row, A)
	if len(acc) != 1 {
		return Routing{}, fmt.Errorf("RACI: cannot route %s: activity %q has %d Accountable parties; exactly one is required", kind, row.Activity.Name, len(acc))
	}
	return Routing{
		Kind: kind, Activity: row.Activity, Accountable: acc[0],
		Responsible: m.holders(row, R), Consulted: m.holders(row, C), Informed: m.holders(row, I),
	}, nil
}

// Change is one difference between two matrices.
type Change struct {
	ActivityID, PartyID string
	From, To            Role // for role changes
	Text                string
}

func (c Change) String() string { return c.Text }

// Diff lists what changes from a to b, in b's activity order: added,
// removed and renamed activities and parties, role changes ("Software
// updates and patching: Service provider R → A/R"), rationale and route
// changes. Activities and parties are matched by ID.
func Diff(a, b Matrix) []Change {
	var out []Change
	add := func(c Change) { out = append(out, c) }
	for _, p := range b.Parties {
		if old, ok := a.Party(p.ID); !ok {
			add(Change{PartyID: p.ID, Text: fmt.Sprintf("Party added: %s", p.Name)})
		} else if old.Name != p.Name {
			add(Change{PartyID: p.ID, Text: fmt.Sprintf("Party renamed: %s → %s", old.Name, p.Name)})
		}
	}
	for _, p := range a.Parties {
		if _, ok := b.Party(p.ID); !ok {
			add(Change{PartyID: p.ID, Text: fmt.Sprintf("Party removed: %s", p.Name)})
		}
	}
	// Parties in either matrix, in b's order then a's leftovers.
	var parties []Party
	seen := map[string]bool{}
	for _, p := range append(append([]Party{}, b.Parties...), a.Parties...) {
		if !seen[p.ID] {
			seen[p.ID] = true
			parties = append(parties, p)
		}
	}
	for _, rb := range b.Rows {
		ra, ok := a.Row(rb.Activity.ID)
		if !ok {
			add(Change{ActivityID: rb.Activity.ID, Text: fmt.Sprintf("Activity added: %s", rb.Activity.Name)})
		} else if ra.Activity.Name != rb.Activity.Name {
			add(Change{ActivityID: rb.Activity.ID, Text: fmt.Sprintf("Activity renamed: %s → %s", ra.Activity.Name, rb.Activity.Name)})
		}
		for _, p := range parties {
			from, to := ra.Roles[p.ID], rb.Roles[p.ID]
			if from == to {
				continue
			}
			name := p.Name
			if _, ok := b.Party(p.ID); ok {
				name = b.partyName(p.ID)
			}
			add(Change{ActivityID: rb.Activity.ID, PartyID: p.ID, From: from, To: to,
				Text: fmt.Sprintf("%s: %s %s → %s", rb.Activity.Name, name, from, to)})
		}
		if ok && ra.Rationale != rb.Rationale {
			add(Change{ActivityID: rb.Activity.ID, Text: fmt.Sprintf("%s: rationale changed", rb.Activity.Name)})
		}
	}
	for _, ra := range a.Rows {
		if _, ok := b.Row(ra.Activity.ID); !ok {
			add(Change{ActivityID: ra.Activity.ID, Text: fmt.Sprintf("Activity removed: %s", ra.Activity.Name)})
		}
	}
	kinds := map[WorkKind]bool{}
	for k := range a.Routes {
		kinds[k] = true
	}
	for k := range b.Routes {
		kinds[k] = true
	}
	sorted := make([]string, 0, len(kinds))
	for k := range kinds {
		sorted = append(sorted, string(k))
	}
	sort.Strings(sorted)
	actName := func(m Matrix, id string) string {
		if r, ok := m.Row(id); ok {
			return r.Activity.Name
		}
		if id == "" {
			return "—"
		}
		return id
	}
	for _, k := range sorted {
		from, to := a.Routes[WorkKind(k)], b.Routes[WorkKind(k)]
		if from != to {
			add(Change{Text: fmt.Sprintf("Route %s: %s → %s", k, actName(a, from), actName(b, to))})
		}
	}
	return out
}
