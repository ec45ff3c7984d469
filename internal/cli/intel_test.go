package cli_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/testdb"
)

// sbomDCMTK is a small CycloneDX SBOM of our own making (see
// testdata/README.md): a DICOM viewer that ships DCMTK 3.6.5, which the real
// NVD record CVE-2022-2119 covers (versionEndExcluding 3.6.7).
const sbomDCMTK = `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
 "metadata":{"component":{"type":"device","name":"PACS Viewer X","version":"1.0","supplier":{"name":"Acme Imaging"}}},
 "components":[{"type":"library","bom-ref":"dcmtk","name":"dcmtk","version":"3.6.5","cpe":"cpe:2.3:a:offis:dcmtk:3.6.5:*:*:*:*:*:*:*"},
  {"type":"library","bom-ref":"zlib","name":"zlib","version":"1.2.13","purl":"pkg:generic/zlib@1.2.13"}]}`

// kevSynthetic is a KEV catalog in the real CSV layout whose one entry is
// made up for this test (CVE-2020-25165 is not in CISA's catalog).
const kevSynthetic = "cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes\n" +
	"CVE-2020-25165,BD,Alaris 8015 PCU,\"test entry\",2025-01-02,\"test\",\"Apply updates\",2025-01-23,Known,\"\",\"CWE-306\"\n"

// TestCLI_IntelligenceSources loads every kind of intelligence from files
// (the real NVD, KEV and SBOM data shipped in testdata), matches, and
// checks the findings each source gives, with KEV and EPSS facts attached.
func TestCLI_IntelligenceSources(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		cmms := "Equipment ID,Serial Number,Manufacturer,Model,Device Type,Facility,Department,Software Version\n" +
			"BM-1,S1,CareFusion,Alaris PC Unit,INFUSION PUMP,Main,ICU,9.19\n" + // NVD: <= 9.33.1, certain
			"BM-2,S2,CareFusion,Alaris PC Unit,INFUSION PUMP,Main,ICU,12.1.2\n" + // NVD: fixed
			"BM-3,S3,Acme Imaging,PACS Viewer X,PACS,Main,Radiology,1.0\n" // SBOM: DCMTK 3.6.5
		if code, out, stderr := run(t, "", "import", "--db", dsn, "--source", "cmms", "--file", write(t, "c.csv", []byte(cmms))); code != 0 {
			t.Fatalf("import: %s %s", out, stderr)
		}
		code, out, stderr := run(t, "", "advisories", "import", "../nvd/testdata/nvd_api2_envelope.medical-subset.json",
			"../kev/testdata/known_exploited_vulnerabilities.json", "../epss/testdata/epss_scores-sample.csv", "--db", dsn)
		if code != 0 || !strings.Contains(out, "nvd, 9 records") || !strings.Contains(out, "kev, 1404 records (catalog 2025.08.25") || !strings.Contains(out, "epss,") {
			t.Fatalf("intel import: %d\n%s\n%s", code, out, stderr)
		}
		// The catalog is replaced whole by a newer one.
		if code, out, stderr = run(t, "", "advisories", "import", write(t, "kev.csv", []byte(kevSynthetic)), "--db", dsn); code != 0 || !strings.Contains(out, "1404 entries before") {
			t.Fatalf("kev csv: %d %s %s", code, out, stderr)
		}
		if code, out, stderr = run(t, "", "advisories", "import", write(t, "junk.json", []byte(`{"hello":"world"}`)), "--db", dsn); code == 0 || !strings.Contains(stderr, "junk.json") {
			t.Errorf("junk: %d %s %s", code, out, stderr)
		}
		if code, out, stderr = run(t, "", "sbom", "import", write(t, "viewer.cdx.json", []byte(sbomDCMTK)), "--db", dsn); code != 0 || !strings.Contains(out, "for Acme Imaging PACS Viewer X firmware 1.0, 2 components") {
			t.Fatalf("sbom import: %d %s %s", code, out, stderr)
		}
		if code, out, stderr = run(t, "", "sbom", "import", "../sbom/testdata/narrow.sbom.json", "--manufacturer", "BD", "--model", "Alaris PC Unit", "--db", dsn); code != 0 || !strings.Contains(out, "55 components") {
			t.Fatalf("real sbom import: %d %s %s", code, out, stderr)
		}
		// Two NVD-shaped records made up for this test (the CVE numbers are
		// not real): one covers the WolfSSL 4.8.1 the real SBOM lists, the
		// other only WolfSSL 5 and later.
		synth := `{"format":"NVD_CVE","version":"2.0","vulnerabilities":[
 {"cve":{"id":"CVE-2099-0101","published":"2099-01-01T00:00:00.000","lastModified":"2099-01-01T00:00:00.000","descriptions":[{"lang":"en","value":"synthetic test record"}],"metrics":{},
  "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*","versionEndExcluding":"5.0.0","matchCriteriaId":"A"}]}]}]}},
 {"cve":{"id":"CVE-2099-0102","published":"2099-01-01T00:00:00.000","lastModified":"2099-01-01T00:00:00.000","descriptions":[{"lang":"en","value":"synthetic test record"}],"metrics":{},
  "configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:wolfssl:wolfssl:*:*:*:*:*:*:*:*","versionStartIncluding":"5.0.0","matchCriteriaId":"B"}]}]}]}}]}`
		if code, out, stderr = run(t, "", "advisories", "import", write(t, "synthetic-nvd.json", []byte(synth)), "--db", dsn); code != 0 || !strings.Contains(out, "nvd, 2 records") {
			t.Fatalf("synthetic nvd: %d %s %s", code, out, stderr)
		}
		if code, out, stderr = run(t, "", "mds2", "import", "../mds2/testdata/hn1-2019-synthetic.xlsx", "--manufacturer", "BD", "--model", "Alaris PC Unit", "--db", dsn); code != 0 || !strings.Contains(out, "HN 1-2019") {
			t.Fatalf("mds2 import: %d %s %s", code, out, stderr)
		}
		if code, out, stderr = run(t, "", "match", "--db", dsn); code != 0 {
			t.Fatalf("match: %d %s %s", code, out, stderr)
		}
		code, out, _ = run(t, "", "findings", "--db", dsn)
		var rows []struct {
			AssetTag       string `json:"asset_tag"`
			CVE, Source    string
			VersionCertain bool `json:"version_certain"`
			KEV            bool
			KEVRansomware  bool `json:"kev_ransomware"`
			Evidence       []string
		}
		if err := json.Unmarshal([]byte(out), &rows); err != nil || code != 0 {
			t.Fatalf("findings: %v\n%s", err, out)
		}
		got := map[string]bool{}
		for _, r := range rows {
			if r.Source == "csaf" {
				continue
			}
			got[r.AssetTag+" "+r.CVE+" "+r.Source] = true
			switch {
			case r.AssetTag == "BM-1" && r.CVE == "CVE-2020-25165":
				if !r.VersionCertain || !r.KEV || !r.KEVRansomware {
					t.Errorf("BM-1 CVE-2020-25165: certain %v kev %v ransomware %v", r.VersionCertain, r.KEV, r.KEVRansomware)
				}
			case r.CVE == "CVE-2099-0101":
				if !r.VersionCertain || !strings.Contains(strings.Join(r.Evidence, " "), "lists component WolfSSL 4.8.1") {
					t.Errorf("real SBOM finding on %s: %+v", r.AssetTag, r)
				}
			case r.AssetTag == "BM-3" && r.CVE == "CVE-2022-2119":
				if !r.VersionCertain || !strings.Contains(r.Evidence[0], "lists component dcmtk 3.6.5") {
					t.Errorf("BM-3 SBOM finding: %+v", r)
				}
			}
		}
		for _, want := range []string{"BM-1 CVE-2020-25165 nvd", "BM-3 CVE-2022-2119 sbom", "BM-1 CVE-2099-0101 sbom", "BM-2 CVE-2099-0101 sbom"} {
			if !got[want] {
				t.Errorf("missing finding %q; got %v", want, got)
			}
		}
		if got["BM-1 CVE-2099-0102 sbom"] || got["BM-2 CVE-2099-0102 sbom"] {
			t.Errorf("the real SBOM's WolfSSL 4.8.1 matched a record for WolfSSL 5 and later")
		}
		if got["BM-2 CVE-2020-25165 nvd"] {
			t.Errorf("BM-2 runs 12.1.2, past NVD's versionEndIncluding 9.33.1, yet has a finding")
		}
		code, out, _ = run(t, "", "findings", "--kev", "--format", "csv", "--db", dsn)
		if code != 0 || !strings.Contains(out, "BM-1") || strings.Contains(out, "BM-3") {
			t.Errorf("--kev:\n%s", out)
		}
	})
}

// TestCLI_ServeFetchGuard: the server reaches the network only when an
// administrator says so, and not more often than hourly.
func TestCLI_ServeFetchGuard(t *testing.T) {
	dsn := testdb.SQLite(t)
	if code, _, stderr := run(t, "", "serve", "--fetch-every", "5m", "--db", dsn); code == 0 || !strings.Contains(stderr, "too often for public feeds") {
		t.Errorf("--fetch-every 5m: %d %s", code, stderr)
	}
	if code, _, stderr := run(t, "", "serve", "--fetch-every", "24h", "--fetch", "kev,rss", "--db", dsn); code == 0 || !strings.Contains(stderr, `unknown feed "rss"`) {
		t.Errorf("--fetch rss: %d %s", code, stderr)
	}
}
