package medsec

import (
	"encoding/json"
	"time"
)

// Asset is one physical medical device, recognisable in every source system
// through its source records.
type Asset struct {
	ID           int64     `json:"id"`
	AssetTag     string    `json:"asset_tag"` // the CMMS equipment ID / control number
	Serial       string    `json:"serial"`
	Manufacturer string    `json:"manufacturer"`
	Model        string    `json:"model"`
	ModelNumber  string    `json:"model_number,omitempty"`
	Modality     string    `json:"modality"`
	ModalityCode string    `json:"modality_code,omitempty"`
	Facility     string    `json:"facility"`
	Location     string    `json:"location"`
	CareArea     CareArea  `json:"care_area"`
	Room         string    `json:"room,omitempty"`
	Status       string    `json:"status"`
	Kind         string    `json:"kind"`
	Origin       string    `json:"origin"`
	Hostname     string    `json:"hostname,omitempty"`
	IP           string    `json:"ip,omitempty"`
	MAC          string    `json:"mac,omitempty"`
	Firmware     string    `json:"firmware,omitempty"`
	EMNumber     *int      `json:"em_number,omitempty"`
	AcquiredOn   string    `json:"acquired_on,omitempty"` // ISO date
	UpdatedAt    time.Time `json:"updated_at"`

	FacilityID     int64 `json:"facility_id"`
	ModalityID     int64 `json:"modality_id"`
	ManufacturerID int64 `json:"manufacturer_id"`
	ModelID        int64 `json:"model_id"`
}

// AssetSort names the columns the asset list can sort by.
var AssetSort = map[string]bool{
	"asset_tag": true, "serial": true, "manufacturer": true, "model": true,
	"modality": true, "facility": true, "status": true, "updated_at": true,
}

// AssetFilter selects assets. Scope, when set, limits the result to the
// assets in that provider party's contract scope.
type AssetFilter struct {
	Q              string
	FacilityID     int64
	ModalityID     int64
	ManufacturerID int64
	ModelID        int64
	Status         string
	Sort           string // one of AssetSort; "-" prefix for descending
	Page           int    // 1-based
	PerPage        int
	ScopePartyID   int64  // 0 = unscoped
	Kind           string // "" = medical devices only; "non_medical"; "all"
	Origin         string // "" = any; "cmms"; "discovered" (seen only on the network or in the CMDB)
	Orphan         string // "" or one of Orphans
	// Stored-score filters (the heat maps link here): tier names or 0–3,
	// acuity a name or number.
	RiskTier, ImpactTier, Likelihood, Acuity string
}

// Orphans names the lists of assets that one system knows and another
// does not, which is what the contract's correlation clause must shrink.
var Orphans = map[string]string{
	"unseen":    "Networked CMMS devices never seen by monitoring",
	"unknown":   "Network devices missing from the CMMS (unknown or rogue)",
	"cmdb_only": "Medical CIs in the CMDB with no CMMS record",
}

// Normalize clamps paging to sane bounds.
func (f *AssetFilter) Normalize() {
	if f.Page < 1 {
		f.Page = 1
	}
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	if f.PerPage > 500 {
		f.PerPage = 500
	}
	if !AssetSort[trimDash(f.Sort)] {
		f.Sort = "asset_tag"
	}
}

func trimDash(s string) string {
	if len(s) > 0 && s[0] == '-' {
		return s[1:]
	}
	return s
}

// SourceRecord is one row of one source system's export, kept verbatim so
// that nothing a user gave is lost and every asset can show where it came from.
type SourceRecord struct {
	ID       int64           `json:"id"`
	BatchID  int64           `json:"batch_id"`
	System   string          `json:"system"` // cmms, cmdb, monitoring, ...
	Key      string          `json:"key"`    // the record key as it appeared in the file
	RowNum   int             `json:"row"`
	Raw      json.RawMessage `json:"raw"` // {"header": "value", ...} in file order
	AssetID  int64           `json:"asset_id,omitempty"`
	FileName string          `json:"file,omitempty"`
	// LinkConfidence and LinkEvidence say why correlation put a CMDB or
	// monitoring record into this asset (empty for the CMMS record).
	LinkConfidence *float64        `json:"link_confidence,omitempty"`
	LinkEvidence   json.RawMessage `json:"link_evidence,omitempty"`
	LoadedAt       time.Time       `json:"loaded_at"`
}

// ImportBatch is one file loaded from one source system, applied atomically.
type ImportBatch struct {
	ID         int64     `json:"id"`
	System     string    `json:"system"`
	FileName   string    `json:"file"`
	SystemName string    `json:"system_name,omitempty"`
	Format     string    `json:"format"`
	Encoding   string    `json:"encoding"`
	KeyColumn  string    `json:"key_column"`
	Actor      string    `json:"actor"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	Rows       int       `json:"rows"`
	New        int       `json:"new"`
	Changed    int       `json:"changed"`
	Unchanged  int       `json:"unchanged"`
	Gone       int       `json:"gone"`
	Rejected   int       `json:"rejected"`
}

// Facility is a hospital site.
type Facility struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Location is a department / care area within a facility.
type Location struct {
	ID         int64    `json:"id"`
	FacilityID int64    `json:"facility_id"`
	Name       string   `json:"name"`
	CareArea   CareArea `json:"care_area"`
}

// Modality is a class of device (infusion pump, CT scanner, ...).
type Modality struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

// Manufacturer is a device maker under its canonical name.
type Manufacturer struct {
	ID      int64    `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
}

// Count is a labelled number, for dashboards.
type Count struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	N     int    `json:"n"`
}
