package importer

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/normalize"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/zeek"
)

// importZeek loads a Zeek log. dhcp and known_hosts logs become presence
// records of the "zeek" source (keyed by MAC, else IP); software logs add
// what each host runs; conn logs add to the per-endpoint-pair flow counts.
// Presence is cumulative: a host missing from one log is not gone.
func importZeek(ctx context.Context, st *store.Store, actor medsec.Actor, name string, r io.Reader, opt Options) (*Result, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(256 << 10)
	probe, err := zeek.Open(name, bytes.NewReader(head))
	if err != nil {
		return nil, zeekError(err)
	}
	kind := probe.Kind()
	probe.Close()
	res := &Result{DryRun: opt.DryRun, Batch: medsec.ImportBatch{System: "zeek", FileName: name, Format: "zeek", Encoding: string(kind), KeyColumn: "mac/ip", SystemName: opt.SystemName}}
	switch kind {
	case zeek.KindDHCP, zeek.KindKnownHosts:
		ps, err := zeek.ReadPresence(name, br)
		if err != nil {
			return nil, zeekError(err)
		}
		return res, applyPresence(ctx, st, actor, res, ps, opt)
	case zeek.KindSoftware:
		sw, err := zeek.ReadSoftware(name, br)
		if err != nil {
			return nil, zeekError(err)
		}
		res.Batch.Rows = len(sw)
		if opt.DryRun {
			return res, nil
		}
		return res, st.ImportSoftware(ctx, actor, &res.Batch, software(sw))
	case zeek.KindConn:
		flows, err := zeek.AggregateConns(name, br)
		if err != nil {
			return nil, zeekError(err)
		}
		res.Batch.Rows = len(flows)
		if opt.DryRun {
			return res, nil
		}
		return res, st.ImportFlows(ctx, actor, &res.Batch, toFlows(flows))
	}
	return nil, medsec.Errorf(medsec.EINVALID, "%s: a %s log carries no inventory; import dhcp, known_hosts, software or conn logs.", name, kind)
}

func applyPresence(ctx context.Context, st *store.Store, actor medsec.Actor, res *Result, ps []zeek.Presence, opt Options) error {
	i := 0
	next := func() (*store.ImportRecord, error) {
		if i == len(ps) {
			if opt.DryRun {
				return nil, errDryRun
			}
			return nil, io.EOF
		}
		p := ps[i]
		i++
		key := p.MAC
		if key == "" {
			key = p.IP
		}
		raw, _ := json.Marshal(map[string]any{"mac": p.MAC, "ip": p.IP, "ips": p.IPs, "hostname": p.Hostname, "first_seen": zeekTime(p.FirstSeen), "last_seen": zeekTime(p.LastSeen), "log": p.Source, "line": p.Line})
		sum := sha256.Sum256(raw)
		return &store.ImportRecord{RowNum: p.Line, Key: key, Raw: string(raw), Hash: hex.EncodeToString(sum[:16]), Ident: store.Ident{
			MAC: normalize.MAC(p.MAC), IP: normalize.IP(p.IP), HostnameNorm: normalize.Hostname(p.Hostname),
			FirstSeen: zeekTime(p.FirstSeen), LastSeen: zeekTime(p.LastSeen), Class: "zeek:" + p.Source,
		}}, nil
	}
	err := st.Import(ctx, actor, &res.Batch, next, &store.ImportOptions{Progress: opt.Progress, KeepMissing: true})
	if errors.Is(err, errDryRun) {
		return nil
	}
	return err
}

func zeekTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func software(sw []zeek.Software) []store.Software {
	out := make([]store.Software, len(sw))
	for i, s := range sw {
		out[i] = store.Software{IP: normalize.IP(s.Host), Name: s.Name, Version: s.Version, Type: s.Type}
	}
	return out
}

func toFlows(fs []zeek.Flow) []store.Flow {
	out := make([]store.Flow, len(fs))
	for i, f := range fs {
		out[i] = store.Flow{Src: f.Src, Dst: f.Dst, DstPort: f.DstPort, Proto: f.Proto, Service: f.Service, Conns: f.Conns, Bytes: f.Bytes,
			First: zeekTime(f.First), Last: zeekTime(f.Last)}
	}
	return out
}

func zeekError(err error) error {
	var ze *zeek.Error
	if errors.As(err, &ze) {
		return medsec.Errorf(medsec.EINVALID, "%s", strings.TrimSpace(ze.Error()))
	}
	return err
}
