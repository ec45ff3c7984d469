// Package catalog is medsec's built-in reference catalogue of medical-device
// modalities, manufacturers, models and care-area types.
//
// It is plain Go data with no I/O, so that the demo generator, importers and
// matchers can share one vocabulary without reading files at run time. The
// figures (fleet shares, networked fractions, Fennigkoh–Smith components, PM
// intervals) are typical starting defaults from the domain reference; medsec
// copies them into editable tables, it never treats them as fixed truth.
//
// Accessors return fresh copies so that callers may modify what they get
// without corrupting the shared tables.
package catalog
