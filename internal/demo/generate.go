// Package demo generates a deterministic, realistic demo health system: the
// CMMS equipment list, the ServiceNow CMDB export and a passive-monitoring
// export that the same physical devices would produce, plus a ground-truth
// file linking every record to its physical device.
//
// The three exports disagree the way real ones do (alias manufacturer
// names, mistyped serials, MAC notations, stale IPs, duplicates, devices
// missing from one system or another) at the documented rates in noise.go,
// so matching and reconciliation code can be measured against ground truth.
//
// Generation streams: every device is built from its own RNG seeded from
// (Seed, index) and written straight to buffered CSV writers, so memory
// stays flat from 100 to 1,000,000 devices and output is byte-identical for
// the same Config.
package demo

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/medsec/medsec/internal/catalog"
)

// File names written by Generate.
const (
	FileCMMS        = "cmms_equipment.csv"
	FileCMDB        = "cmdb_ci.csv"
	FileMonitoring  = "monitoring_devices.csv"
	FileGroundTruth = "ground_truth.csv"
)

// Size limits for Config.Assets.
const (
	MinAssets = 1
	MaxAssets = 1_000_000
)

// DefaultNow is used when Config.Now is zero, so output never depends on
// the wall clock.
var DefaultNow = time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)

// Config selects what to generate.
type Config struct {
	// Assets is the number of physical medical devices (100 to 1,000,000
	// is the intended range).
	Assets int
	// Seed makes the output reproducible: same Seed and Assets give
	// byte-identical files.
	Seed uint64
	// Now anchors all dates (acquisition, PM, first/last seen). Zero means
	// DefaultNow.
	Now time.Time
}

// Summary reports what Generate wrote.
type Summary struct {
	Assets      int
	Seed        uint64
	Facilities  int
	Departments int
	Beds        int

	// Devices is the number of physical medical devices; Networked of them
	// have a network interface in use.
	Devices   int
	Networked int
	// NonMedical and Rogue are the other devices on the network.
	NonMedical int
	Rogue      int

	// Medical devices per modality code (true modality, before noise).
	ByModality map[string]int

	// Rows per file, excluding headers.
	CMMSRows        int
	CMDBRows        int
	MonitoringRows  int
	GroundTruthRows int

	// Noise actually injected.
	NotInCMMS      int // networked devices absent from the CMMS
	NeverSeen      int // networked devices absent from monitoring
	CMDBDuplicates int // extra CMDB rows for the same device
	DHCPChurn      int // CMDB rows holding a stale IP
}

var (
	cmmsHeader = []string{"Equipment ID", "Serial Number", "Manufacturer", "Model", "Model Number", "Device Type",
		"Facility", "Department", "Room", "Status", "Acquisition Date", "Acquisition Cost", "Warranty End",
		"EM Number", "PM Interval (months)", "Last PM Date", "Service Provider", "MAC Address", "IP Address",
		"Hostname", "Software Version"}
	cmdbHeader = []string{"sys_id", "name", "asset_tag", "serial_number", "manufacturer", "model_id", "model_number",
		"mac_address", "ip_address", "location", "sys_class_name", "install_status", "operational_status",
		"discovery_source", "first_discovered", "last_discovered"}
	monHeader = []string{"Device ID", "MAC Address", "IP Address", "Hostname", "Manufacturer", "Model", "Device Type",
		"Firmware Version", "Serial Number", "Site", "VLAN", "First Seen", "Last Seen"}
	gtHeader = []string{"source", "key", "device_id"}
)

// RNG stream identifiers: each entity's RNG is seeded from (Seed, mix(index*4+stream)).
const (
	streamMedical    = 0
	streamNonMedical = 1
	streamRogue      = 2
	streamFacilities = 3 // Facilities seeds PCG(Seed, 3) directly; entity streams go through splitmix64
)

// Generate writes the four demo files into dir (which must exist) and
// returns what it wrote.
func Generate(cfg Config, dir string) (Summary, error) {
	if cfg.Assets < MinAssets || cfg.Assets > MaxAssets {
		return Summary{}, fmt.Errorf("demo: Assets %d outside %d..%d", cfg.Assets, MinAssets, MaxAssets)
	}
	g := newGenerator(cfg)
	names := []string{FileCMMS, FileCMDB, FileMonitoring, FileGroundTruth}
	headers := [][]string{cmmsHeader, cmdbHeader, monHeader, gtHeader}
	var files [4]*os.File
	var bufs [4]*bufio.Writer
	var ws [4]*csv.Writer
	closeAll := func() {
		for _, f := range files {
			if f != nil {
				f.Close()
			}
		}
	}
	for i, n := range names {
		f, err := os.Create(filepath.Join(dir, n))
		if err != nil {
			closeAll()
			return Summary{}, err
		}
		files[i] = f
		bufs[i] = bufio.NewWriterSize(f, 1<<20)
		ws[i] = csv.NewWriter(bufs[i])
		if err := ws[i].Write(headers[i]); err != nil {
			closeAll()
			return Summary{}, err
		}
	}
	g.cmms, g.cmdb, g.mon, g.gt = ws[0], ws[1], ws[2], ws[3]

	g.run()

	var errs []error
	for i := range ws {
		ws[i].Flush()
		errs = append(errs, ws[i].Error(), bufs[i].Flush(), files[i].Close())
	}
	if err := errors.Join(errs...); err != nil {
		return Summary{}, err
	}
	return g.sum, nil
}

// modInfo is a modality with what the generator precomputes for it.
type modInfo struct {
	catalog.Modality
	models   []catalog.Model
	modelCum []float64
	// placeCum is a cumulative weight over generator.places.
	placeCum []float64
	extra    modalityExtra
}

type place struct {
	fac  *Facility
	dept *Department
}

type generator struct {
	cfg    Config
	now    time.Time
	facs   []Facility
	places []place
	facCum []float64
	mods   []modInfo
	modCum []float64
	mfrs   map[string]*catalog.Manufacturer

	pcg *rand.PCG
	r   *rand.Rand

	hostSeq []int    // per facility: next host number (IP and hostname)
	cmmsSeq []int    // per facility: last Equipment ID number
	lastIP  []string // per facility: most recently leased IP

	maxNonMed int // upper bound of non-medical entities, for MAC numbering

	cmms, cmdb, mon, gt *csv.Writer
	rec                 []string // scratch row
	sum                 Summary
}

func newGenerator(cfg Config) *generator {
	g := &generator{cfg: cfg, now: cfg.Now.UTC()}
	if cfg.Now.IsZero() {
		g.now = DefaultNow
	}
	g.facs = Facilities(cfg)
	g.hostSeq = make([]int, len(g.facs))
	g.cmmsSeq = make([]int, len(g.facs))
	g.lastIP = make([]string, len(g.facs))
	var acc float64
	for i := range g.facs {
		f := &g.facs[i]
		acc += f.Weight
		g.facCum = append(g.facCum, acc)
		for j := range f.Departments {
			g.places = append(g.places, place{f, &f.Departments[j]})
		}
		g.sum.Beds += f.Beds
	}
	g.mfrs = map[string]*catalog.Manufacturer{}
	for _, m := range catalog.Manufacturers() {
		m := m
		g.mfrs[m.Canonical] = &m
	}
	acc = 0
	for _, m := range catalog.Modalities() {
		mi := modInfo{Modality: m, models: catalog.ModelsByModality(m.Code), extra: extras[m.Code]}
		// Popularity falls off with catalogue rank (Zipf-like): the first
		// listed model of a modality is the most common.
		var w float64
		for k := range mi.models {
			w += 1 / float64(k+1)
			mi.modelCum = append(mi.modelCum, w)
		}
		mi.placeCum = g.placeWeights(m)
		acc += m.Share
		g.modCum = append(g.modCum, acc)
		g.mods = append(g.mods, mi)
	}
	g.maxNonMed = int(float64(cfg.Assets)*NonMedicalPerDevice) + 1
	g.pcg = rand.NewPCG(0, 0)
	g.r = rand.New(g.pcg)
	g.rec = make([]string, 0, 32)
	g.sum.Assets, g.sum.Seed = cfg.Assets, cfg.Seed
	g.sum.Facilities = len(g.facs)
	g.sum.Departments = len(g.places)
	g.sum.ByModality = map[string]int{}
	return g
}

// placeWeights spreads a modality over all departments: facility weight ×
// the modality's care-area weight, shared equally by the facility's
// departments of that care area that accept the modality.
func (g *generator) placeWeights(m catalog.Modality) []float64 {
	cum := make([]float64, len(g.places))
	var acc float64
	k := 0
	for fi := range g.facs {
		f := &g.facs[fi]
		count := map[string]int{}
		for _, d := range f.Departments {
			if d.accepts(m.Code) {
				count[d.CareArea]++
			}
		}
		for _, d := range f.Departments {
			if d.accepts(m.Code) {
				acc += f.Weight * m.CareAreas[d.CareArea] / float64(count[d.CareArea])
			}
			cum[k] = acc
			k++
		}
	}
	return cum
}

// seed re-seeds the shared RNG for one entity.
func (g *generator) seed(index uint64, stream uint64) {
	g.pcg.Seed(g.cfg.Seed, splitmix64(index<<2|stream))
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// searchCum returns the index i with cum[i-1] <= u·total < cum[i], u in [0,1);
// zero-width entries are never chosen.
func searchCum(cum []float64, u float64) int {
	x := u * cum[len(cum)-1]
	i := sort.Search(len(cum), func(i int) bool { return cum[i] > x })
	if i >= len(cum) {
		i = len(cum) - 1
	}
	return i
}

func (g *generator) run() {
	n := g.cfg.Assets
	nonMed, rogue := 0, 0
	for i := 0; i < n; i++ {
		d := g.makeDevice(i)
		g.sum.Devices++
		g.sum.ByModality[d.mod.Code]++
		if d.networked {
			g.sum.Networked++
		}
		g.writeCMMS(&d)
		g.writeCMDB(&d)
		g.writeMonitoring(&d)
		// Interleave the other network devices so every file mixes them
		// in, as real exports do.
		for ; nonMed < int(float64(i+1)*NonMedicalPerDevice); nonMed++ {
			g.emitNonMedical(nonMed)
		}
		for ; rogue < int(float64(i+1)*RoguePerDevice); rogue++ {
			g.emitRogue(rogue)
		}
	}
}

// writeGT records which physical device a record belongs to.
func (g *generator) writeGT(source, key, deviceID string) {
	g.rec = append(g.rec[:0], source, key, deviceID)
	g.gt.Write(g.rec)
	g.sum.GroundTruthRows++
}
