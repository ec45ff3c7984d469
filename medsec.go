// Package medsec holds the domain of medsec: the values that a hospital (HDO)
// and its third-party HTM service provider share when they run medical-device
// cybersecurity as a contract. The root package has no I/O; adapters live in
// internal/ and are named after what they wrap (store, tabular, web, ...).
package medsec

// Version is the release version, set at build time with
// -ldflags "-X github.com/medsec/medsec.Version=...".
var Version = "0.1.0-dev"
