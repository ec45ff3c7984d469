package correlate

import (
	"strings"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

type classKind uint8

const (
	classUnknown classKind = iota
	classMedical
	classNonMedical
)

type classInfo struct {
	kind classKind
	why  string
}

// nonMedicalClasses maps folded CMDB classes and monitoring device types to
// the reason a record is kept out of the medical inventory.
var nonMedicalClasses = map[string]string{
	"cmdbcicomputer":       "workstation (cmdb_ci_computer)",
	"cmdbcipc":             "workstation (cmdb_ci_pc_hardware)",
	"cmdbcipchardware":     "workstation (cmdb_ci_pc_hardware)",
	"cmdbciprinter":        "printer (cmdb_ci_printer)",
	"cmdbcimfp":            "printer (cmdb_ci_mfp)",
	"cmdbciipswitch":       "network switch (cmdb_ci_ip_switch)",
	"cmdbciiprouter":       "router (cmdb_ci_ip_router)",
	"cmdbciipfirewall":     "firewall (cmdb_ci_ip_firewall)",
	"cmdbcinetgear":        "network gear (cmdb_ci_netgear)",
	"cmdbciwapnetwork":     "wireless access point (cmdb_ci_wap_network)",
	"cmdbciipphone":        "IP phone (cmdb_ci_ip_phone)",
	"cmdbciserver":         "server (cmdb_ci_server)",
	"cmdbciwinserver":      "server (cmdb_ci_win_server)",
	"cmdbcilinuxserver":    "server (cmdb_ci_linux_server)",
	"cmdbciunixserver":     "server (cmdb_ci_unix_server)",
	"cmdbciesxserver":      "server (cmdb_ci_esx_server)",
	"cmdbcivmwareinstance": "virtual machine (cmdb_ci_vmware_instance)",
	"cmdbcistorageserver":  "storage (cmdb_ci_storage_server)",
	"cmdbciups":            "UPS (cmdb_ci_ups)",
	"workstation":          "workstation",
	"desktop":              "workstation",
	"laptop":               "laptop",
	"thinclient":           "thin client",
	"printer":              "printer",
	"ipphone":              "IP phone",
	"voipphone":            "IP phone",
	"phone":                "IP phone",
	"switch":               "network switch",
	"router":               "router",
	"firewall":             "firewall",
	"accesspoint":          "wireless access point",
	"wirelessaccesspoint":  "wireless access point",
	"server":               "server",
	"ipcamera":             "IP camera",
	"camera":               "IP camera",
	"smartphone":           "personal device (smartphone)",
	"mobilephone":          "personal device (smartphone)",
	"tablet":               "personal device (tablet)",
	"smarttv":              "consumer device (smart TV)",
	"iotdevice":            "IoT device",
	"gameconsole":          "consumer device (game console)",
}

// medicalClasses are folded CMDB medical classes, modality names and CMMS
// device-type spellings: any of them makes a record medical.
var medicalClasses = func() map[string]bool {
	m := map[string]bool{"cmdbcimedicaldevice": true, "cmdbcimedical": true, "medicaldevice": true, "medical": true}
	for _, md := range catalog.Modalities() {
		m[normalize.Key(md.Name)] = true
		m[normalize.Key(md.Code)] = true
		for _, t := range md.DeviceTypes {
			m[normalize.Key(t)] = true
		}
	}
	return m
}()

// class classifies a record. CMMS records are medical by definition: the
// CMMS is the system of record for medical equipment.
func (l *lookups) class(s src, class string) classInfo {
	if s == srcCMMS {
		return classInfo{kind: classMedical}
	}
	if v, ok := l.classes[class]; ok {
		return v
	}
	v := classInfo{}
	k := normalize.Key(class)
	switch {
	case medicalClasses[k]:
		v.kind = classMedical
	case nonMedicalClasses[k] != "":
		v.kind, v.why = classNonMedical, nonMedicalClasses[k]
	case strings.HasPrefix(k, "cmdbci") && strings.HasSuffix(k, "server"):
		v.kind, v.why = classNonMedical, "server ("+strings.TrimSpace(class)+")"
	}
	l.classes[class] = v
	return v
}

// clusterClass decides a cluster: medical when it holds a CMMS record, a
// medical class or a catalog medical maker; non-medical when it holds no
// such sign and at least one non-medical class (the reason is the first
// one found in member order); unknown otherwise (kept in the inventory:
// an unclassified device on a clinical network needs a human look).
func clusterClass(e *engine, members []int32) (bool, string) {
	why := ""
	for _, i := range members {
		r := &e.recs[i]
		switch {
		case r.class == classMedical:
			return false, ""
		case r.mfr >= 0 && !r.mfrFromModel:
			return false, ""
		case r.class == classNonMedical && why == "":
			why = r.classWhy
		}
	}
	return why != "", why
}
