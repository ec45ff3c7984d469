package importer

import (
	"strings"

	"github.com/medsec/medsec/internal/catalog"
	"github.com/medsec/medsec/internal/normalize"
)

// modalityFor maps a CMMS device-type spelling to a modality code and
// name through the catalogue's spellings; an unknown type becomes its own
// modality under its own name, so nothing is lost or guessed.
func modalityFor(deviceType string) (code, name string) {
	deviceType = strings.TrimSpace(deviceType)
	if deviceType == "" {
		return "", ""
	}
	k := normalize.Key(deviceType)
	if m, ok := modalityIndex[k]; ok {
		return m[0], m[1]
	}
	return "local_" + k, deviceType
}

// modalityIndex maps folded device-type spellings (and modality names and
// codes) to [code, name].
var modalityIndex = func() map[string][2]string {
	m := map[string][2]string{}
	for _, mo := range catalog.Modalities() {
		v := [2]string{mo.Code, mo.Name}
		for _, s := range append([]string{mo.Code, mo.Name}, mo.DeviceTypes...) {
			m[normalize.Key(s)] = v
		}
	}
	return m
}()
