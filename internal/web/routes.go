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
		{"GET", "/imports/{id}", medsec.PermImport, false, "One import batch with its rejected rows", s.batchPage},
		{"GET", "/audit", medsec.PermAudit, false, "Audit log", s.auditPage},
		{"GET", "/correlation", medsec.PermRead, false, "Correlation: coverage against milestones, runs, orphans", s.correlationPage},
		{"POST", "/correlation/run", medsec.PermCorrelate, false, "Run correlation", s.correlationRun},
		{"POST", "/correlation/targets", medsec.PermCorrelate, false, "Add or change a coverage milestone", s.targetSave},
		{"POST", "/correlation/targets/{id}/delete", medsec.PermCorrelate, false, "Delete a coverage milestone", s.targetDelete},
		{"GET", "/review", medsec.PermCorrelate, false, "Review queue of candidate links", s.reviewPage},
		{"POST", "/review/{id}", medsec.PermCorrelate, false, "Confirm or reject a candidate link", s.reviewDecide},
		{"POST", "/assets/{id}/split", medsec.PermCorrelate, false, "Split a source record out of an asset", s.assetSplit},
		{"POST", "/assets/{id}/merge", medsec.PermCorrelate, false, "Merge another asset's records into this one", s.assetMerge},
		{"GET", "/orphans", medsec.PermRead, false, "Orphans and unknown devices", s.orphansPage},
		{"GET", "/manufacturers", medsec.PermRead, false, "Manufacturer aliases", s.manufacturersPage},
		{"POST", "/manufacturers/aliases", medsec.PermCorrelate, false, "Add a manufacturer alias", s.aliasAdd},
		{"GET", "/findings", medsec.PermRead, false, "Findings, filtered by status, KEV, EPSS, source, CVE, advisory or model", s.findingsPage},
		{"GET", "/findings/{id}", medsec.PermRead, false, "One finding: why it matched, its history, its next step", s.findingPage},
		{"POST", "/findings/{id}", medsec.PermTriage, false, "Move a finding to another status", s.findingTransition},
		{"GET", "/advisories", medsec.PermRead, false, "Advisories with the assets they affect", s.advisoriesPage},
		{"GET", "/advisories/new", medsec.PermTriage, false, "Enter a manufacturer letter that was never published as CSAF", s.manualPage},
		{"POST", "/advisories", medsec.PermTriage, false, "Save a manual advisory and match it", s.manualCreate},
		{"GET", "/advisories/{id}", medsec.PermRead, false, "One advisory: vulnerabilities, products, remediations, affected assets", s.advisoryPage},
		{"GET", "/models/{id}", medsec.PermRead, false, "One make/model: SBOMs, MDS2 answers, advisories, assets", s.modelPage},
		{"POST", "/models/{id}/{kind}", medsec.PermImport, false, "Attach an SBOM (kind=sbom, firmware) or an MDS2 form (kind=mds2) to the model", s.modelAttachForm},
		{"POST", "/advisories/upload", medsec.PermImport, false, "Load a CSAF, NVD, KEV or EPSS file and match", s.intelUpload},
		{"GET", "/export/{what}", medsec.PermRead, false, "Export assets, links or crossref as CSV or XLSX", s.exportFile},

		{"GET", "/assess", medsec.PermRead, false, "Assessment editor: the eight data points per modality, make/model or asset, with their sources", s.assessPage},
		{"POST", "/assess", medsec.PermAssess, false, "Set or clear one assessed data point", s.assessSave},
		{"POST", "/score", medsec.PermAssess, false, "Rescore assets", s.scoreRun},
		{"GET", "/heatmap", medsec.PermRead, false, "Risk heat maps: impact × likelihood, modality × acuity", s.heatmapPage},
		{"GET", "/lists", medsec.PermRead, false, "Action lists: capital replacement, mitigation, monitoring priority, restore order", s.listsPage},
		{"GET", "/export/lists/{file}", medsec.PermRead, false, "An action list as CSV, XLSX or JSON", s.listExport},
		{"GET", "/api/v1/assessments", medsec.PermRead, true, "Assessed values (level=modality|model|asset, scope_id)", s.apiAssessments},
		{"PUT", "/api/v1/assessments", medsec.PermAssess, true, "Set or clear one data point {level, scope_id, point, value, reason}", s.apiAssessmentPut},
		{"GET", "/api/v1/scoring-models", medsec.PermRead, true, "The active scoring model and every version", s.apiScoringModels},
		{"POST", "/api/v1/scoring-models", medsec.PermAssess, true, "Add a scoring model version {model, reason}, make it active and rescore", s.apiScoringModelCreate},
		{"POST", "/api/v1/score", medsec.PermAssess, true, "Rescore assets (full=true for all)", s.apiScore},
		{"GET", "/api/v1/assets/{id}/risk", medsec.PermRead, true, "An asset's clinical impact and risk with every factor, the sources of its values and its findings' SSVC decisions", s.apiAssetRisk},
		{"GET", "/api/v1/heatmap", medsec.PermRead, true, "Asset counts by impact × likelihood and modality × acuity", s.apiHeatmap},
		{"GET", "/api/v1/lists", medsec.PermRead, true, "An action list (list=capital|mitigation|monitoring|restore, facility)", s.apiLists},

		// The agreement, its review pack and the notifications routed through its RACI (issue 7).
		{"GET", "/agreement", medsec.PermRead, false, "The agreement: terms, scope, versions and their differences, the RACI grid, exhibits", s.agreementPage},
		{"POST", "/agreement", medsec.PermAgreement, false, "Save the agreement's terms, scope and commitments as a new version", s.agreementSave},
		{"POST", "/agreement/raci", medsec.PermAgreement, false, "Save the RACI grid (or a template) as a new version", s.agreementRACISave},
		{"GET", "/agreement/export/{format}", medsec.PermRead, false, "One exhibit (exhibit=A..E, version) as docx, pdf, md or xlsx", s.agreementExport},
		{"GET", "/reviews", medsec.PermRead, false, "Review pack for a period (from, to)", s.reviewsPage},
		{"GET", "/reviews/export/{format}", medsec.PermRead, false, "Review pack (from, to) as pdf, html or xlsx", s.reviewsExport},
		{"GET", "/notifications", medsec.PermRead, false, "Work routed to me through the RACI", s.notificationsPage},
		{"POST", "/notifications/read", medsec.PermRead, false, "Mark one (id) or all notifications read", s.notificationsRead},
		{"GET", "/notifications/badge.svg", medsec.PermRead, false, "The unread-count bell of the layout", s.notificationsBadge},
		{"GET", "/api/v1/agreement", medsec.PermRead, true, "The agreement (version) and its version list", s.apiAgreement},
		{"POST", "/api/v1/agreement", medsec.PermAgreement, true, "Save a new version {agreement, note}", s.apiAgreementSave},
		{"GET", "/api/v1/agreement/diff", medsec.PermRead, true, "Differences between versions a and b (default: the last two)", s.apiAgreementDiff},
		{"GET", "/api/v1/reviews", medsec.PermRead, true, "Review pack figures (from, to)", s.apiReviews},
		{"GET", "/api/v1/notifications", medsec.PermRead, true, "My notifications (unread=1) and the unread count", s.apiNotifications},

		// Service: schedules, work orders, SLA clocks, pauses, risk exceptions (internal/web/{service,workorders,exceptions,sla}.go).
		{"GET", "/service", medsec.PermRead, false, "Service overview: PM compliance by modality, facility and provider; due and overdue tasks", s.servicePage},
		{"GET", "/workorders", medsec.PermRead, false, "Work orders, with a form for a new one", s.workOrdersPage},
		{"POST", "/workorders", medsec.PermService, false, "Enter or update a work order", s.workOrderCreate},
		{"GET", "/workorders/{id}", medsec.PermRead, false, "One work order: its SLA clocks with timelines, and its pauses", s.workOrderPage},
		{"GET", "/sla/events/{id}", medsec.PermRead, false, "One SLA event (work order or finding triage/patch): clocks and pauses", s.slaEventPage},
		{"POST", "/sla/pauses", medsec.PermService, false, "Pause an SLA event's clocks, with a reason", s.pauseCreate},
		{"POST", "/sla/pauses/{id}/end", medsec.PermService, false, "End a pause", s.pauseEnd},
		{"GET", "/exceptions", medsec.PermRead, false, "Risk exceptions: list, expiring soon, request form, approvals", s.exceptionsPage},
		{"POST", "/exceptions", medsec.PermService, false, "Request a risk exception", s.exceptionCreate},
		{"POST", "/exceptions/{id}/approve", medsec.PermAgreement, false, "Approve a risk exception (not your own)", s.exceptionApprove},
		{"POST", "/exceptions/{id}/revoke", medsec.PermAgreement, false, "Revoke a risk exception", s.exceptionRevoke},
		{"GET", "/sla", medsec.PermRead, false, "Monthly SLA report with charts and breaches", s.slaPage},
		{"GET", "/sla/report", medsec.PermRead, false, "The SLA report as CSV or XLSX (month, format)", s.slaExport},
		{"GET", "/api/v1/service", medsec.PermRead, true, "PM compliance by modality, facility and provider; due and overdue tasks", s.apiService},
		{"GET", "/api/v1/schedules/templates", medsec.PermRead, true, "Schedule templates per modality and make/model", s.apiTemplates},
		{"GET", "/api/v1/workorders", medsec.PermRead, true, "Work orders (q, asset, open, page, per_page)", s.apiWorkOrders},
		{"POST", "/api/v1/workorders", medsec.PermService, true, "Create or update a work order {key, asset, type, priority, opened, responded, on_site, completed, result}", s.apiWorkOrderCreate},
		{"GET", "/api/v1/workorders/{id}", medsec.PermRead, true, "One work order with its SLA clocks and pauses", s.apiWorkOrder},
		{"POST", "/api/v1/workorders/{id}/pauses", medsec.PermService, true, "Pause a work order's clocks {reason, note, from, to}", s.apiPauseCreate},
		{"GET", "/api/v1/sla/events/{id}", medsec.PermRead, true, "One SLA event (work-order key, F<finding>-triage, F<finding>-patch) with clocks and pauses", s.apiSLAEvent},
		{"POST", "/api/v1/sla/pauses", medsec.PermService, true, "Pause an SLA event {event_id, reason, note, from, to}", s.apiPauseCreate},
		{"POST", "/api/v1/sla/pauses/{id}/end", medsec.PermService, true, "End a pause {at}", s.apiPauseEnd},
		{"GET", "/api/v1/sla/report", medsec.PermRead, true, "SLA report per tier and event type (month or from/to, as_of)", s.apiSLAReport},
		{"GET", "/api/v1/exceptions", medsec.PermRead, true, "Risk exceptions and those expiring soon", s.apiExceptions},
		{"POST", "/api/v1/exceptions", medsec.PermService, true, "Request a risk exception {asset | model_id, decision, reason, controls, expiry}", s.apiExceptionCreate},
		{"POST", "/api/v1/exceptions/{id}/approve", medsec.PermAgreement, true, "Approve a risk exception (the approver may not be the requester)", s.apiExceptionApprove},
		{"POST", "/api/v1/exceptions/{id}/revoke", medsec.PermAgreement, true, "Revoke a risk exception", s.apiExceptionRevoke},
		{"POST", "/api/v1/models/{id}/end-of-support", medsec.PermService, true, "Set a model's end-of-support date {end_of_support}", s.apiEndOfSupport},

		{"GET", "/api/v1/openapi.json", medsec.PermRead, true, "This OpenAPI document", s.openapi},
		{"GET", "/api/v1/me", medsec.PermRead, true, "The calling user", s.apiMe},
		{"GET", "/api/v1/assets", medsec.PermRead, true, "List assets (q, facility, modality, manufacturer, status, sort, page, per_page)", s.apiAssets},
		{"GET", "/api/v1/assets/{id}", medsec.PermRead, true, "One asset with its source records", s.apiAsset},
		{"GET", "/api/v1/stats", medsec.PermRead, true, "Asset counts by facility, modality, manufacturer and status", s.apiStats},
		{"GET", "/api/v1/imports", medsec.PermImport, true, "Recent import batches", s.apiImports},
		{"GET", "/api/v1/imports/{id}", medsec.PermImport, true, "One import batch with its rejected rows", s.apiBatch},
		{"POST", "/api/v1/imports", medsec.PermImport, true, "Import a file (source=cmms|cmdb|monitoring|zeek, dry_run, skip_bad_rows, key, system, filename); body is the file or a multipart 'file' field", s.apiImport},
		{"GET", "/api/v1/audit", medsec.PermAudit, true, "The audit log, newest first", s.apiAudit},
		{"POST", "/api/v1/correlate", medsec.PermCorrelate, true, "Run correlation (full=true for everything)", s.apiCorrelate},
		{"GET", "/api/v1/coverage", medsec.PermRead, true, "Correlation coverage: latest by facility and modality, history, milestones", s.apiCoverage},
		{"POST", "/api/v1/coverage/targets", medsec.PermCorrelate, true, "Add or change a milestone {due, pct_cmdb, pct_monitoring, note}", s.apiTargetSave},
		{"GET", "/api/v1/review", medsec.PermCorrelate, true, "Review queue", s.apiReview},
		{"POST", "/api/v1/review/{id}", medsec.PermCorrelate, true, "Decide a review item {decision: confirm|reject, reason}", s.apiReviewDecide},
		{"POST", "/api/v1/links/decisions", medsec.PermCorrelate, true, "Confirm or reject two source records {a, b, decision, reason}", s.apiDecide},
		{"GET", "/api/v1/orphans", medsec.PermRead, true, "Orphans: list=unseen|unknown|cmdb_only", s.apiOrphans},
		{"GET", "/api/v1/findings", medsec.PermRead, true, "Findings (asset, cve, advisory, status, source, model, kev, epss_min, open, gone, page, per_page)", s.apiFindings},
		{"GET", "/api/v1/findings/{id}", medsec.PermRead, true, "One finding with its history", s.apiFinding},
		{"POST", "/api/v1/findings/{id}/transition", medsec.PermTriage, true, "Move a finding {status, reason, confirm, fix_validated_on, scheduled_for, control, accepted_by, accepted_until}", s.apiFindingTransition},
		{"GET", "/api/v1/advisories", medsec.PermRead, true, "Advisories with finding and asset counts (q)", s.apiAdvisories},
		{"POST", "/api/v1/advisories", medsec.PermTriage, true, "Enter a manual advisory {title, manufacturer, product, affected, fixed, cve, summary, remediation, details, cvss, published}", s.apiManualCreate},
		{"GET", "/api/v1/advisories/{id}", medsec.PermRead, true, "One advisory with its vulnerabilities, products and findings", s.apiAdvisory},
		{"GET", "/api/v1/models/{id}", medsec.PermRead, true, "One make/model with SBOMs, MDS2 forms, advisories and finding counts", s.apiModel},
		{"POST", "/api/v1/models/{id}/{kind}", medsec.PermImport, true, "Attach an SBOM (kind=sbom, firmware) or MDS2 form (kind=mds2); body is the file (filename=) or a multipart 'file'", s.apiModelAttach},
		{"POST", "/api/v1/intel", medsec.PermImport, true, "Load a CSAF, NVD, KEV or EPSS file and match; body is the file (filename=) or a multipart 'file'", s.apiIntelUpload},
		{"GET", "/api/v1/models/{id}/vex", medsec.PermRead, true, "The hospital's status per CVE of one model, as OpenVEX", s.modelVEX},
		{"GET", "/api/v1/manufacturers/aliases", medsec.PermRead, true, "Manufacturer aliases", s.apiAliases},
		{"POST", "/api/v1/manufacturers/aliases", medsec.PermCorrelate, true, "Add an alias {alias, manufacturer}", s.apiAliasAdd},
	}
}
