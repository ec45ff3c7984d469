package web

import (
	"net/http"

	"github.com/medsec/medsec"
)

// Route is one entry of the route table: what it serves and what it needs.
type Route struct {
	Method  string
	Pattern string
	Perm    medsec.Permission
	API     bool // JSON under /api/v1/: bearer tokens work, errors are JSON
	Summary string
	Handle  func(w http.ResponseWriter, r *http.Request, c *Ctx)
}

// Routes is the one route table of the UI and the API. A test walks it to
// prove that each route refuses anonymous users and roles without the right.
func (s *Server) Routes() []Route {
	return []Route{
		{"GET", "/healthz", medsec.PermPublic, false, "Liveness and database reachability", s.healthz},
		{"GET", "/login", medsec.PermPublic, false, "Login page", s.loginPage},
		{"POST", "/login", medsec.PermPublic, false, "Log in", s.login},
		{"POST", "/logout", medsec.PermRead, false, "Log out", s.logout},

		{"GET", "/{$}", medsec.PermRead, false, "Dashboard", s.dashboard},
		{"GET", "/assets", medsec.PermRead, false, "Asset list", s.assetList},
		{"GET", "/assets.csv", medsec.PermRead, false, "Asset list as CSV", s.assetCSV},
		{"GET", "/assets/{id}", medsec.PermRead, false, "Asset detail", s.assetPage},
		{"GET", "/import", medsec.PermImport, false, "Import page", s.importPage},
		{"POST", "/import", medsec.PermImport, false, "Check or import a file", s.importUpload},
		{"GET", "/audit", medsec.PermAudit, false, "Audit log", s.auditPage},

		{"GET", "/api/v1/openapi.json", medsec.PermRead, true, "This OpenAPI document", s.openapi},
		{"GET", "/api/v1/me", medsec.PermRead, true, "The calling user", s.apiMe},
		{"GET", "/api/v1/assets", medsec.PermRead, true, "List assets (q, facility, modality, manufacturer, status, sort, page, per_page)", s.apiAssets},
		{"GET", "/api/v1/assets/{id}", medsec.PermRead, true, "One asset with its source records", s.apiAsset},
		{"GET", "/api/v1/stats", medsec.PermRead, true, "Asset counts by facility, modality, manufacturer and status", s.apiStats},
		{"GET", "/api/v1/imports", medsec.PermImport, true, "Recent import batches", s.apiImports},
		{"POST", "/api/v1/imports", medsec.PermImport, true, "Import a file (source=cmms, dry_run=true|false, key=COLUMN); body is the file or a multipart 'file' field", s.apiImport},
		{"GET", "/api/v1/audit", medsec.PermAudit, true, "The audit log, newest first", s.apiAudit},
	}
}
