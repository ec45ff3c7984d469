package medsec

import "time"

// User is a local account. Passwords are kept only as argon2id hashes.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	PartyID   int64     `json:"party_id,omitempty"` // the provider party, for RoleProvider
	PartyName string    `json:"party,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled"`
}

// Party is a signatory or third party to the agreement.
type Party struct {
	ID   int64     `json:"id"`
	Name string    `json:"name"`
	Kind PartyKind `json:"kind"`
}

// PartyKind tells the hospital from its providers and the manufacturers.
type PartyKind string

const (
	PartyHospital     PartyKind = "hospital"
	PartyProvider     PartyKind = "provider"
	PartyManufacturer PartyKind = "manufacturer"
)

// ScopeRule puts assets into a provider party's scope: every asset whose
// facility and modality match the rule's non-zero fields. Until agreements
// exist (a later issue), these rules are the contract's scope.
type ScopeRule struct {
	PartyID    int64  `json:"party_id"`
	FacilityID int64  `json:"facility_id,omitempty"`
	Facility   string `json:"facility,omitempty"`
	ModalityID int64  `json:"modality_id,omitempty"`
	Modality   string `json:"modality,omitempty"`
}

// Actor is who makes a change; it goes into the audit log.
type Actor struct {
	UserID int64
	Name   string
	Role   Role
	// PartyID limits what a provider sees; 0 for hospital roles.
	PartyID int64
}

// System is the actor for changes medsec makes itself (demo, CLI, inbox).
var System = Actor{Name: "system", Role: RoleAdmin}
