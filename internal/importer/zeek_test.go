package importer

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/testdb"
)

func importZeekFile(t *testing.T, st *store.Store, path string) *Result {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := Import(context.Background(), st, medsec.System, "zeek", path[strings.LastIndex(path, "/")+1:], f, Options{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

func TestImportZeek(t *testing.T) {
	testdb.Each(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		td := "../zeek/testdata/"
		res := importZeekFile(t, st, td+"btest/scripts.base.protocols.dhcp.dhcp-all-msg-types__dhcp.log")
		if res.Batch.New != 1 || res.Batch.Encoding != "dhcp" {
			t.Errorf("dhcp: %+v", res.Batch)
		}
		res = importZeekFile(t, st, td+"wrccdc/known_hosts.log.gz")
		if res.Batch.New != 253 {
			t.Errorf("known_hosts: %+v", res.Batch)
		}
		// Presence is cumulative: the dhcp host is not gone after known_hosts.
		recs, _ := st.IdentRecords(ctx)
		if len(recs) != 254 {
			t.Errorf("zeek records = %d, want 254", len(recs))
		}
		res = importZeekFile(t, st, td+"wrccdc/software.log.gz")
		if res.Batch.Changed == 0 {
			t.Errorf("software matched no host: %+v", res.Batch)
		}
		res = importZeekFile(t, st, td+"btest/opt.basic__conn.log")
		n, _ := st.FlowCount(ctx)
		if res.Batch.New == 0 || n != res.Batch.New {
			t.Errorf("flows: batch %+v, stored %d", res.Batch, n)
		}
		// The same conn log again adds its connections to the same pairs.
		importZeekFile(t, st, td+"btest/opt.basic__conn.log")
		if m, _ := st.FlowCount(ctx); m != n {
			t.Errorf("flows after re-import = %d, want %d pairs", m, n)
		}
		_, err = Import(ctx, st, medsec.System, "zeek", "ssh.log", strings.NewReader("{\"ts\":1,\"uid\":\"x\"}\n"), Options{})
		if err == nil || !strings.Contains(err.Error(), "carries no inventory") {
			t.Errorf("ssh log: %v", err)
		}
	})
}
