package medsec

import (
	"sort"
	"strings"
)

// Role is what a user is to the agreement. Roles are fixed because the
// agreement's RACI and the audit both speak of them by name.
type Role string

const (
	RoleAdmin      Role = "admin"      // runs medsec itself
	RoleHTM        Role = "htm"        // hospital HTM / clinical engineering
	RoleSecurity   Role = "security"   // hospital security analyst
	RoleProvider   Role = "provider"   // third-party technician, limited to its party's scope
	RoleCompliance Role = "compliance" // contract and compliance manager
	RoleViewer     Role = "viewer"     // read-only
)

// Roles lists every role, most privileged first.
var Roles = []Role{RoleAdmin, RoleHTM, RoleSecurity, RoleProvider, RoleCompliance, RoleViewer}

// ParseRole accepts a role name in any case.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if strings.EqualFold(s, string(r)) {
			return r, nil
		}
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", Errorf(EINVALID, "Unknown role %q; valid roles are %s.", s, strings.Join(names, ", "))
}

// Permission names one right that a route may require.
type Permission string

const (
	PermPublic      Permission = "public"       // no login needed (health check, login page)
	PermRead        Permission = "read"         // see assets (providers: only in scope)
	PermImport      Permission = "import"       // load source files into the inventory
	PermManageUsers Permission = "manage_users" // users, tokens, party scopes
	PermAudit       Permission = "audit"        // read the audit log
	PermCorrelate   Permission = "correlate"    // run correlation, decide review items, set milestones and aliases
	PermTriage      Permission = "triage"       // move findings through their life, enter manual advisories
	PermAssess      Permission = "assess"       // set clinical impact assessments and the scoring model
	PermService     Permission = "service"      // schedules, work orders, SLA pauses
	PermAgreement   Permission = "agreement"    // the agreement: RACI, versions, exhibits, approvals of exceptions
	PermReview      Permission = "review"       // the review pack: figures over the whole inventory, so not for scoped roles
)

// rolePerms is the whole authorisation matrix, kept in one place so that
// the route-table test can prove it.
var rolePerms = map[Role][]Permission{
	RoleAdmin:      {PermRead, PermImport, PermManageUsers, PermAudit, PermCorrelate, PermTriage, PermAssess, PermService, PermAgreement, PermReview},
	RoleHTM:        {PermRead, PermImport, PermCorrelate, PermTriage, PermAssess, PermService, PermReview},
	RoleSecurity:   {PermRead, PermImport, PermCorrelate, PermTriage, PermAssess, PermReview},
	RoleProvider:   {PermRead, PermTriage, PermService},
	RoleCompliance: {PermRead, PermAudit, PermAgreement, PermReview},
	RoleViewer:     {PermRead, PermReview},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Permission) bool {
	if p == PermPublic {
		return true
	}
	for _, q := range rolePerms[r] {
		if q == p {
			return true
		}
	}
	return false
}

// Permissions returns the sorted permissions of r.
func (r Role) Permissions() []Permission {
	ps := append([]Permission(nil), rolePerms[r]...)
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// Scoped reports whether users of this role see only their party's scope.
func (r Role) Scoped() bool { return r == RoleProvider }
