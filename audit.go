package medsec

import (
	"encoding/json"
	"time"
)

// AuditEntry records one change: who, when, what, before and after.
type AuditEntry struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	UserID   int64           `json:"user_id,omitempty"`
	Actor    string          `json:"actor"`
	Action   string          `json:"action"` // create, update, delete, import, login, logout, login_failed
	Entity   string          `json:"entity"` // asset, user, token, import_batch, ...
	EntityID string          `json:"entity_id,omitempty"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	Actor   string
	Entity  string
	Action  string
	Page    int
	PerPage int
}
