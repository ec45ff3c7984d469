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
	if code, name, ok := catalog.ModalityForDeviceType(deviceType); ok {
		return code, name
	}
	return "local_" + normalize.Key(deviceType), deviceType
}
