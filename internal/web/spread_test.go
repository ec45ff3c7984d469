package web_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/medsec/medsec/internal/testdb"
)

// TestAssess_CareAreaSpread: the modality editor shows where the modality's
// devices sit by acuity, each bar linking to those assets.
func TestAssess_CareAreaSpread(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn)
		a, err := e.st.FindAsset(context.Background(), e.assets["BM-001"], 0)
		if err != nil {
			t.Fatal(err)
		}
		spread, err := e.st.CareAreaSpread(context.Background(), a.ModalityID, 0)
		if err != nil || len(spread) == 0 || spread[0].CareArea != "icu" {
			t.Fatalf("spread %+v %v", spread, err)
		}
		c, _ := e.client("htm")
		resp, err := c.Get(e.srv.URL + "/assess?level=modality&id=" + itoa(a.ModalityID))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		if resp.StatusCode != 200 || !strings.Contains(page, `id="care-area-spread"`) || !strings.Contains(page, "ICU") ||
			!strings.Contains(page, "/assets?modality="+itoa(a.ModalityID)+"&amp;acuity=icu") {
			t.Errorf("assess page lacks the care-area spread (status %d)", resp.StatusCode)
		}
	})
}
