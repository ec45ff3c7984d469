package mds2

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var fixtures = map[string]func() (*excelize.File, error){
	"hn1-2019-synthetic.xlsx": build2019,
	"hn1-2013-synthetic.xlsx": build2013,
}

func buildBytes(t testing.TB, build func() (*excelize.File, error)) []byte {
	t.Helper()
	f, err := build()
	if err != nil {
		t.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFixtures checks that the committed workbooks parse exactly like freshly
// generated ones (so the generator and testdata stay in sync); -update
// rewrites them.
func TestFixtures(t *testing.T) {
	for name, build := range fixtures {
		fresh := buildBytes(t, build)
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, fresh, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := Read(name, bytes.NewReader(fresh))
		if err != nil {
			t.Fatalf("%s (generated): %v", name, err)
		}
		got, err := ReadFile(path)
		if err != nil {
			t.Fatalf("%s (committed): %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: committed fixture differs from generator output; run go test -run TestFixtures -update", name)
		}
	}
}

func mustForm(t *testing.T, name string) *Form {
	t.Helper()
	f, err := ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func checkAnswer(t *testing.T, f *Form, id, section string, want Value, raw string) *Answer {
	t.Helper()
	a := f.Answer(id)
	if a == nil {
		t.Errorf("%s: missing", id)
		return &Answer{}
	}
	if a.Section != section || a.Answer != want || (raw != "" && a.Raw != raw) {
		t.Errorf("%s = section %q answer %q raw %q; want %q %q %q", id, a.Section, a.Answer, a.Raw, section, want, raw)
	}
	if a.Question == "" || a.Row == 0 || a.Sheet != f.Sheet {
		t.Errorf("%s: question %q row %d sheet %q", id, a.Question, a.Row, a.Sheet)
	}
	return a
}

func checkCap(t *testing.T, name string, c Capability, state Tri, from []string, explain string) {
	t.Helper()
	if c.State != state || !reflect.DeepEqual(c.From, from) || !strings.Contains(c.Explanation, explain) {
		t.Errorf("%s = %+v; want %s from %v explaining %q", name, c, state, from, explain)
	}
}

func TestHN2019(t *testing.T) {
	f := mustForm(t, "hn1-2019-synthetic.xlsx")
	if f.Layout != LayoutHN2019 || f.Sheet != "MDS2" {
		t.Fatalf("layout %q sheet %q", f.Layout, f.Sheet)
	}
	want := Form{
		Layout: LayoutHN2019, Sheet: "MDS2",
		DeviceCategory:      "Patient monitoring",
		Manufacturer:        "Acme Medical Systems, Inc.",
		Model:               "CardioView 3000",
		DocumentID:          "ACME-CV3000-MDS2-0419",
		ManufacturerContact: "Product Security Office, psirt@acme-medical.example, +1 555 0100",
		SoftwareRevision:    "4.2.1",
		ReleaseDate:         "2019-11-15",
	}
	got := *f
	got.Answers, got.Notes, got.Capabilities = nil, nil, Capabilities{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("header\n got %+v\nwant %+v", got, want)
	}
	n := 0
	for _, q := range questions2019 {
		if q.id != "" {
			n++
		}
	}
	if len(f.Answers) != n {
		t.Errorf("answers = %d, want %d", len(f.Answers), n)
	}
	a := checkAnswer(t, f, "AUTH-1", "AUTH", Yes, "Yes")
	if !strings.HasPrefix(a.Question, "Does the device prevent access to unauthorized users") {
		t.Errorf("AUTH-1 question %q", a.Question)
	}
	checkAnswer(t, f, "MPII-2.2", "MPII", Yes, "YES")
	checkAnswer(t, f, "DOC-9", "DOC", Yes, "yes")
	checkAnswer(t, f, "ALOF-2", "ALOF", No, "no")
	checkAnswer(t, f, "EMRG-1", "EMRG", NA, "n/a")
	checkAnswer(t, f, "AUDT-4", "AUDT", Blank, "")
	checkAnswer(t, f, "DOC-4", "DOC", Other, "ACME-CV3000-MDS2-0419")
	a = checkAnswer(t, f, "CSUP-3.1", "CSUP", Yes, "Yes - see note 2")
	if a.NoteRef != "2" || !strings.HasPrefix(a.Note, "Firmware updates are delivered as signed packages") {
		t.Errorf("CSUP-3.1 note %q %q", a.NoteRef, a.Note)
	}
	a = checkAnswer(t, f, "TXCF-2", "TXCF", SeeNote, "See Note")
	if a.NoteRef != "4" || !strings.HasPrefix(a.Note, "HL7 over TLS 1.2") {
		t.Errorf("TXCF-2 note %q %q", a.NoteRef, a.Note)
	}
	if a := f.Answer("sbom-1"); a == nil || a.Note != "Provided as CycloneDX on request." || a.NoteRef != "" {
		t.Errorf("SBOM-1 = %+v", a)
	}
	if a := f.Answer("MPII-1"); a == nil || a.Row != 23 {
		t.Errorf("MPII-1 row = %+v", a)
	}
	if len(f.Notes) != 4 || f.Notes[0].Sheet != "Notes" || f.Notes[0].Ref != "1" || f.Notes[3].Row != 5 {
		t.Errorf("notes = %+v", f.Notes)
	}
	c := f.Capabilities
	checkCap(t, "CustomerInstallablePatches", c.CustomerInstallablePatches, TriYes, []string{"CSUP-2.1", "CSUP-3.1", "CSUP-4.1"}, "CSUP-3.1=Yes")
	checkCap(t, "AntiMalware", c.AntiMalware, TriNo, []string{"MLDP-2"}, "MLDP-2=No")
	checkCap(t, "EncryptionAtRest", c.EncryptionAtRest, TriYes, []string{"STCF-1"}, "STCF-1=Yes")
	checkCap(t, "EncryptionInTransit", c.EncryptionInTransit, TriYes, []string{"TXCF-2", "TXCF-2.1"}, "TXCF-2.1=Yes")
	checkCap(t, "AuditLogging", c.AuditLogging, TriYes, []string{"AUDT-1", "AUDT-2"}, "AUDT-1=Yes")
	checkCap(t, "RemoteService", c.RemoteService, TriYes, []string{"RMOT-1", "RMOT-2"}, "RMOT-1=Yes")
	checkCap(t, "Authentication", c.Authentication, TriYes, []string{"PAUT-1", "AUTH-1"}, "PAUT-1=Yes")
}

func TestHN2013(t *testing.T) {
	f := mustForm(t, "hn1-2013-synthetic.xlsx")
	want := Form{
		Layout: LayoutHN2013, Sheet: "Form",
		DeviceCategory:      "Infusion pump",
		Manufacturer:        "Globex Infusion Corp.",
		Model:               "GX-200 Large Volume Pump",
		DocumentID:          "GX-200-MDS2-2016-1",
		ManufacturerContact: "security@globex.example",
		SoftwareRevision:    "7.1",
		ReleaseDate:         "2016-03-14",
	}
	got := *f
	got.Answers, got.Notes, got.Capabilities = nil, nil, Capabilities{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("header\n got %+v\nwant %+v", got, want)
	}
	n := 0
	for _, q := range questions2013 {
		if q.id != "MPD" && q.id != "SEC" && q.id != "notes" && (containsDash(q.id) || q.id[0] >= 'A') {
			n++
		}
	}
	if len(f.Answers) != n {
		t.Errorf("answers = %d, want %d", len(f.Answers), n)
		for _, a := range f.Answers {
			t.Logf("%s %s %q", a.Section, a.ID, a.Raw)
		}
	}
	checkAnswer(t, f, "A", SectionMPD, Yes, "Yes")
	checkAnswer(t, f, "B", SectionMPD, Blank, "")
	checkAnswer(t, f, "C.2", SectionMPD, Yes, "yes")
	checkAnswer(t, f, "D.6", SectionMPD, No, "No")
	checkAnswer(t, f, "2-1", "AUDT", Yes, "YES")
	checkAnswer(t, f, "2-2.5.1", "AUDT", Yes, "")
	checkAnswer(t, f, "8-1", "EMRG", NA, "N/A")
	checkAnswer(t, f, "12-1.1", "PAUT", Yes, "")
	a := checkAnswer(t, f, "1-1.1", "ALOF", SeeNote, "See Note")
	if a.Note != "Configurable from 1 to 60 minutes; default 15." {
		t.Errorf("1-1.1 note %q", a.Note)
	}
	a = checkAnswer(t, f, "5-1", "CSUP", Yes, "")
	if a.NoteRef != "1" || !strings.HasPrefix(a.Note, "Patches are validated by Globex") {
		t.Errorf("5-1 note %q %q", a.NoteRef, a.Note)
	}
	if a := f.Answer("A"); !strings.HasPrefix(a.Question, "Can this device display, transmit, or maintain private data") {
		t.Errorf("A question %q", a.Question)
	}
	secNotes := 0
	for _, n := range f.Notes {
		if n.Section != "" {
			secNotes++
		}
	}
	if secNotes != 4 {
		t.Errorf("section notes = %d (%+v)", secNotes, f.Notes)
	}
	c := f.Capabilities
	checkCap(t, "CustomerInstallablePatches", c.CustomerInstallablePatches, TriYes, []string{"5-1"}, "5-1=Yes")
	checkCap(t, "AntiMalware", c.AntiMalware, TriNo, []string{"10-1"}, "10-1=No")
	checkCap(t, "EncryptionAtRest", c.EncryptionAtRest, TriNo, []string{"17-1"}, "17-1=No")
	checkCap(t, "EncryptionInTransit", c.EncryptionInTransit, TriYes, []string{"18-2"}, "18-2=Yes")
	checkCap(t, "AuditLogging", c.AuditLogging, TriYes, []string{"2-1"}, "2-1=Yes")
	checkCap(t, "RemoteService", c.RemoteService, TriUnknown, []string{"20-1"}, "SmartLink VPN")
	checkCap(t, "Authentication", c.Authentication, TriYes, []string{"12-1", "3-1"}, "12-1=Yes")
}

func TestNormalizeAnswer(t *testing.T) {
	for in, want := range map[string]Value{
		"Yes": Yes, " YES ": Yes, "yes.": Yes, "Y": Yes, "Yes - see note 2": Yes, "Yes (configurable)": Yes,
		"No": No, "no ": No, "NO, see note 1": No,
		"N/A": NA, "n/a": NA, "NA": NA, "Not applicable": NA, "N/A - software only": NA,
		"See Note": SeeNote, "see notes": SeeNote, "See note 3": SeeNote, "Note 3": SeeNote,
		"": Blank, "   ": Blank,
		"Yes, No, N/A, or See Note": Other, "Acme": Other, "Nope": Other, "Yesterday": Other, "National": Other,
	} {
		if got := NormalizeAnswer(in); got != want {
			t.Errorf("NormalizeAnswer(%q) = %q, want %q", in, got, want)
		}
	}
}

func xlsx(t testing.TB, fill func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	fill(f)
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestErrors(t *testing.T) {
	unknown := xlsx(t, func(f *excelize.File) {
		r := []any{"Asset", "Serial", "Location"}
		f.SetSheetRow("Sheet1", "A1", &r)
		r = []any{"Pump", "X-1", "ICU"}
		f.SetSheetRow("Sheet1", "A2", &r)
	})
	fixture := buildBytes(t, build2019)
	emptyWB := xlsx(t, func(*excelize.File) {})
	blankTop := xlsx(t, func(f *excelize.File) {
		f.NewSheet("Other")
		f.SetCellValue("Sheet1", "B4", "just a note")
	})
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"form.xlsx", unknown, `mds2 form.xlsx: sheet "Sheet1" row 1: no MDS2 question-ID column found (expected IDs like "AUTH-1" or section headers like "AUTOMATIC LOGOFF (ALOF)")`},
		{"two.xlsx", blankTop, `mds2 two.xlsx: sheet "Sheet1" row 4: no MDS2 question-ID column found (expected IDs like "AUTH-1" or section headers like "AUTOMATIC LOGOFF (ALOF)") in any of 2 sheets`},
		{"empty.xlsx", emptyWB, `mds2 empty.xlsx: sheet "Sheet1" row 1: no MDS2 question-ID column found`},
		{"trunc.xlsx", fixture[:len(fixture)/2], "mds2 trunc.xlsx: not a readable XLSX workbook (truncated or corrupt?)"},
		{"notes.txt", []byte("Question ID,Answer\nAUTH-1,Yes\n"), "mds2 notes.txt: not an XLSX workbook (no ZIP signature)"},
		{"old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "mds2 old.xls: legacy .xls"},
		{"zero.xlsx", nil, "mds2 zero.xlsx: empty file"},
		{"pk.xlsx", []byte("PK\x03\x04garbage"), "mds2 pk.xlsx: not a readable XLSX workbook"},
	} {
		_, err := Read(tc.name, bytes.NewReader(tc.data))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want prefix %q", tc.name, err, tc.want)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("%s: %T is not *Error", tc.name, err)
		}
	}
	if _, err := Read("form.xlsx", bytes.NewReader(unknown)); !errors.Is(err, ErrUnknownLayout) {
		t.Errorf("unknown layout not ErrUnknownLayout: %v", err)
	}
}

// TestDetectIgnoresNames: a 2019 form on a sheet called "Sheet1", saved as
// .bin, with an irrelevant first sheet, is still found.
func TestDetectIgnoresNames(t *testing.T) {
	data := xlsx(t, func(f *excelize.File) {
		f.SetCellValue("Sheet1", "A1", "Cover page")
		f.NewSheet("Data")
		rows := [][]any{
			{"AUTH-1", "Does the device prevent access to unauthorized users?", "Yes"},
			{"PAUT-1", "Unique IDs?", "No"},
			{"STCF-1", "Can the device encrypt data at rest?", "N/A"},
		}
		for i, r := range rows {
			f.SetSheetRow("Data", "C"+string(rune('5'+i)), &r)
		}
	})
	f, err := Read("x.bin", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if f.Layout != LayoutHN2019 || f.Sheet != "Data" || len(f.Answers) != 3 || f.Answers[2].Row != 7 || f.Answers[2].Answer != NA {
		t.Errorf("got %+v", f)
	}
	if f.Capabilities.Authentication.State != TriYes || f.Capabilities.EncryptionAtRest.State != TriUnknown || f.Capabilities.AntiMalware.Explanation != "unknown: MLDP-2/MLDP-2.1/MLDP-2.2 not answered" {
		t.Errorf("caps %+v", f.Capabilities)
	}
}

func FuzzRead(f *testing.F) {
	for name := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		form, err := Read("fuzz.xlsx", bytes.NewReader(data))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mds2 fuzz.xlsx") {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		if form.Layout != LayoutHN2013 && form.Layout != LayoutHN2019 {
			t.Fatalf("layout %q", form.Layout)
		}
	})
}
