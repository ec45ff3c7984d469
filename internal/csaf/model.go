package csaf

// The structs below mirror the subset of the CSAF 2.0 schema medsec reads.
//
// Why not gocsaf's own csaf.Advisory? In gocsaf v3.7.0 it disagrees with
// the schema it validates against: product_tree.product_groups, every
// group_ids, and product_identification_helper.hashes are arrays in the
// schema but structs in gocsaf, so csaf.LoadAdvisory refuses schema-valid
// documents that use product groups (see TestGocsafModelRejectsSchemaArrays).
// Validation is still gocsaf's (csaf.ValidateCSAF); only the typed decode
// is ours, and since it runs after validation every field is known to have
// the schema's type.

type jDocument struct {
	Document struct {
		Title     string `json:"title"`
		Publisher struct {
			Name string `json:"name"`
		} `json:"publisher"`
		Distribution struct {
			TLP struct {
				Label string `json:"label"`
			} `json:"tlp"`
		} `json:"distribution"`
		Tracking struct {
			ID                 string `json:"id"`
			Version            string `json:"version"`
			InitialReleaseDate string `json:"initial_release_date"`
			CurrentReleaseDate string `json:"current_release_date"`
		} `json:"tracking"`
		Notes []jNote `json:"notes"`
	} `json:"document"`
	ProductTree     *jTree  `json:"product_tree"`
	Vulnerabilities []jVuln `json:"vulnerabilities"`
}

type jNote struct {
	Category string `json:"category"`
	Title    string `json:"title"`
	Text     string `json:"text"`
}

type jTree struct {
	Branches         []jBranch `json:"branches"`
	FullProductNames []jFPN    `json:"full_product_names"`
	ProductGroups    []struct {
		GroupID    string   `json:"group_id"`
		ProductIDs []string `json:"product_ids"`
	} `json:"product_groups"`
	Relationships []struct {
		Category                  string `json:"category"`
		FullProductName           jFPN   `json:"full_product_name"`
		ProductReference          string `json:"product_reference"`
		RelatesToProductReference string `json:"relates_to_product_reference"`
	} `json:"relationships"`
}

type jBranch struct {
	Category string    `json:"category"`
	Name     string    `json:"name"`
	Product  *jFPN     `json:"product"`
	Branches []jBranch `json:"branches"`
}

type jFPN struct {
	Name      string `json:"name"`
	ProductID string `json:"product_id"`
	Helper    *struct {
		CPE           string   `json:"cpe"`
		PURL          string   `json:"purl"`
		ModelNumbers  []string `json:"model_numbers"`
		SKUs          []string `json:"skus"`
		SerialNumbers []string `json:"serial_numbers"`
	} `json:"product_identification_helper"`
}

type jVuln struct {
	CVE   string `json:"cve"`
	Title string `json:"title"`
	CWE   *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"cwe"`
	Notes         []jNote             `json:"notes"`
	ProductStatus map[string][]string `json:"product_status"`
	Remediations  []struct {
		Category   string   `json:"category"`
		Details    string   `json:"details"`
		URL        string   `json:"url"`
		Date       string   `json:"date"`
		ProductIDs []string `json:"product_ids"`
		GroupIDs   []string `json:"group_ids"`
	} `json:"remediations"`
	Scores []struct {
		CVSSv2   *jCVSS   `json:"cvss_v2"`
		CVSSv3   *jCVSS   `json:"cvss_v3"`
		Products []string `json:"products"`
	} `json:"scores"`
	Threats []struct {
		Category string `json:"category"`
		Details  string `json:"details"`
	} `json:"threats"`
	References []struct {
		URL string `json:"url"`
	} `json:"references"`
}

type jCVSS struct {
	Version      string  `json:"version"`
	VectorString string  `json:"vectorString"`
	BaseScore    float64 `json:"baseScore"`
}
