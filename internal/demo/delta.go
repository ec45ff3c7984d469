package demo

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Delta describes the next day's monitoring export, made from today's:
// every Every-th row moved to another address (the last octet of its IP
// plus one) and was seen again; every Gone-th row (0: none) is no longer
// in the export.
type Delta struct {
	Every int
	Gone  int
}

// WriteMonitoringDelta writes the next day's version of the monitoring
// export src to dst and returns how many rows changed and how many went.
// Moving an address is what a day of DHCP does: the moved device now
// shares an IP with whatever held it before, which is the hard case for
// a correlation run that re-examines only what changed.
func WriteMonitoringDelta(src, dst string, d Delta) (changed, gone int, err error) {
	if d.Every <= 0 {
		return 0, 0, fmt.Errorf("demo: delta every %d rows", d.Every)
	}
	in, err := os.Open(src)
	if err != nil {
		return 0, 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, 0, err
	}
	defer out.Close()
	r, w := csv.NewReader(in), csv.NewWriter(out)
	head, err := r.Read()
	if err != nil {
		return 0, 0, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	seen, okSeen := col["Last Seen"]
	ip, okIP := col["IP Address"]
	if !okSeen || !okIP {
		return 0, 0, fmt.Errorf("demo: %s is not a demo monitoring export: it needs the columns Last Seen and IP Address", src)
	}
	if err := w.Write(head); err != nil {
		return 0, 0, err
	}
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		} else if err != nil {
			return 0, 0, fmt.Errorf("demo: %s: %w", src, err)
		}
		if d.Gone > 0 && i%d.Gone == d.Gone-1 {
			gone++
			continue
		}
		if i%d.Every == 0 {
			rec[seen] = "2026-01-15T08:00:00Z"
			if v := rec[ip]; v != "" {
				parts := strings.Split(v, ".")
				last, _ := strconv.Atoi(parts[len(parts)-1])
				parts[len(parts)-1] = strconv.Itoa((last + 1) % 255)
				rec[ip] = strings.Join(parts, ".")
			}
			changed++
		}
		if err := w.Write(rec); err != nil {
			return 0, 0, err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return 0, 0, err
	}
	return changed, gone, out.Close()
}
