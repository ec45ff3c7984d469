package importer

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/normalize"
)

// Field is a column medsec understands, whatever a source system calls it.
type Field string

const (
	FAssetTag     Field = "asset_tag"
	FSerial       Field = "serial"
	FManufacturer Field = "manufacturer"
	FModel        Field = "model"
	FModelNumber  Field = "model_number"
	FDeviceType   Field = "device_type"
	FFacility     Field = "facility"
	FDepartment   Field = "department"
	FRoom         Field = "room"
	FStatus       Field = "status"
	FMAC          Field = "mac"
	FIP           Field = "ip"
	FHostname     Field = "hostname"
	FFirmware     Field = "firmware"
	FEMNumber     Field = "em_number"
	FAcquiredOn   Field = "acquired_on"
	FClass        Field = "class"
	FFirstSeen    Field = "first_seen"
	FLastSeen     Field = "last_seen"
)

// synonyms is the header dictionary: every spelling of a column that real
// CMMS exports use, folded with normalize.Key. Order matters: the first
// field to claim a header wins, so specific names come before generic ones.
var synonyms = []struct {
	f     Field
	names []string
}{
	{FAssetTag, []string{"equipment id", "equipment number", "equipment no", "equip id", "control number", "control no", "control #", "asset tag", "asset number", "asset no", "asset id", "tag number", "biomed tag", "cmms id", "equipment", "eq id", "device id"}},
	{FSerial, []string{"serial number", "serial no", "serial #", "serial", "sn", "s/n", "serial_number", "mfr serial"}},
	{FModelNumber, []string{"model number", "model no", "model #", "catalog number", "catalogue number", "part number", "model_number", "mfr model number"}},
	{FManufacturer, []string{"manufacturer", "manufacturer name", "mfr", "mfg", "make", "vendor", "oem"}},
	{FModel, []string{"model", "model name", "model description", "model_id"}},
	{FDeviceType, []string{"device type", "equipment type", "equipment class", "device class", "type", "modality", "umdns", "umdns term", "nomenclature", "category", "device category"}},
	{FFacility, []string{"facility", "site", "campus", "hospital", "building", "facility name"}},
	{FDepartment, []string{"department", "dept", "location", "care area", "unit", "cost center name", "department name"}},
	{FRoom, []string{"room", "room number", "bed", "room/bed"}},
	{FStatus, []string{"status", "equipment status", "asset status", "condition", "install_status"}},
	{FMAC, []string{"mac address", "mac", "mac_address", "hardware address", "ethernet address"}},
	{FIP, []string{"ip address", "ip", "ip_address", "ipv4", "ipv4 address"}},
	{FHostname, []string{"hostname", "host name", "network name", "dns name", "ci name", "name", "device name"}},
	{FFirmware, []string{"software version", "firmware version", "firmware", "sw version", "software", "software rev", "os version", "version"}},
	{FEMNumber, []string{"em number", "em", "em score", "risk score", "risk number", "fennigkoh smith", "equipment management number"}},
	{FAcquiredOn, []string{"acquisition date", "acquired", "install date", "purchase date", "date acquired", "in service date"}},
	{FClass, []string{"sys_class_name", "class", "ci class", "classification"}},
	{FFirstSeen, []string{"first seen", "first_seen", "first_discovered", "first discovered", "firstseen"}},
	{FLastSeen, []string{"last seen", "last_seen", "last_discovered", "last discovered", "lastseen", "last activity"}},
}

// synonymExact matches headers as written (lower case); synonymIndex
// matches them folded. Names with '#' are exact-only, since folding would
// turn "Model #" into "model".
var synonymExact, synonymIndex = func() (map[string]Field, map[string]Field) {
	exact, folded := map[string]Field{}, map[string]Field{}
	for _, s := range synonyms {
		for _, n := range s.names {
			exact[n] = s.f
			if strings.Contains(n, "#") {
				continue
			}
			if k := normalize.Key(n); folded[k] == "" {
				folded[k] = s.f
			}
		}
	}
	return exact, folded
}()

// Mapping says which column holds which field. Detected mappings carry
// how they were found, so the import page can show it.
type Mapping struct {
	Columns map[Field]int    `json:"columns"`
	Header  []string         `json:"header"`
	Source  map[Field]string `json:"source"` // "detected" or "mapping file" or "--key"
	Key     string           `json:"key"`    // the record key column
}

// Column returns the header name mapped to f, or "".
func (m Mapping) Column(f Field) string {
	if i, ok := m.Columns[f]; ok {
		return m.Header[i]
	}
	return ""
}

// Fields lists the mapped fields in a stable order.
func (m Mapping) Fields() []Field {
	var out []Field
	for _, s := range synonyms {
		if _, ok := m.Columns[s.f]; ok {
			out = append(out, s.f)
		}
	}
	return out
}

// Unmapped lists the headers no field claimed; they are still kept in the
// raw source record.
func (m Mapping) Unmapped() []string {
	used := map[int]bool{}
	for _, i := range m.Columns {
		used[i] = true
	}
	var out []string
	for i, h := range m.Header {
		if !used[i] && h != m.Key {
			out = append(out, h)
		}
	}
	return out
}

// Detect maps a header row through the synonym dictionary.
func Detect(header []string) Mapping {
	m := Mapping{Columns: map[Field]int{}, Header: header, Source: map[Field]string{}}
	for i, h := range header {
		f, ok := synonymExact[strings.ToLower(strings.Join(strings.Fields(h), " "))]
		if !ok {
			if f, ok = synonymIndex[normalize.Key(h)]; !ok {
				continue
			}
		}
		if _, taken := m.Columns[f]; taken {
			continue
		}
		m.Columns[f] = i
		m.Source[f] = "detected"
	}
	return m
}

// Override applies a user's choices: field → header name. An unknown field
// or a header not in the file is an error naming it.
func (m *Mapping) Override(file string, fields map[string]string, source string) error {
	for fs, col := range fields {
		f := Field(fs)
		if !knownField(f) {
			return medsec.Errorf(medsec.EINVALID, "%s: unknown field %q in mapping; known fields are %s.", file, fs, strings.Join(fieldNames(), ", "))
		}
		if col == "" {
			delete(m.Columns, f)
			continue
		}
		i := indexOf(m.Header, col)
		if i < 0 {
			return medsec.Errorf(medsec.EINVALID, "%s: mapping names column %q for %s, but the file has no such column (columns: %s).", file, col, f, strings.Join(m.Header, ", "))
		}
		for g, j := range m.Columns { // a column serves one field
			if j == i && g != f {
				delete(m.Columns, g)
			}
		}
		m.Columns[f], m.Source[f] = i, source
	}
	return nil
}

// LoadMappingFile reads a JSON object {"field": "Header name", ...}.
func LoadMappingFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "Cannot read mapping file: %v.", err)
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "%s: not a JSON object of field → column: %v.", path, err)
	}
	return m, nil
}

func knownField(f Field) bool {
	for _, s := range synonyms {
		if s.f == f {
			return true
		}
	}
	return false
}

func fieldNames() []string {
	var out []string
	for _, s := range synonyms {
		out = append(out, string(s.f))
	}
	sort.Strings(out)
	return out
}

func indexOf(header []string, col string) int {
	for i, h := range header {
		if h == col {
			return i
		}
	}
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(col)) {
			return i
		}
	}
	return -1
}

// String renders the mapping for the CLI's --dry-run.
func (m Mapping) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %-14s ← %q\n", "record key", m.Key)
	for _, f := range m.Fields() {
		fmt.Fprintf(&b, "  %-14s ← %q (%s)\n", f, m.Column(f), m.Source[f])
	}
	if u := m.Unmapped(); len(u) > 0 {
		fmt.Fprintf(&b, "  kept verbatim, not mapped: %s\n", strings.Join(u, ", "))
	}
	return b.String()
}
