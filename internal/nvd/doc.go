// Package nvd reads NVD CVE JSON API 2.0 data and matches it against the
// device inventory. It is pure: no database, no network.
//
//   - read.go streams an API response page (or a single cve object or
//     {"cve":...} record) one vulnerability at a time, so a feed of hundreds
//     of megabytes never sits in memory.
//   - model.go is the record model: descriptions, weaknesses, CVSS metrics,
//     configurations and references.
//   - cpe.go parses CPE 2.3 formatted strings.
//   - vendor.go and product.go decide whether a CPE's vendor and product
//     designate a device's manufacturer and model.
//   - eval.go evaluates configuration trees (AND/OR nodes, negation,
//     firmware-on-hardware platform conditions) with three-valued logic
//     (vers.Result) and writes evidence lines.
//   - index.go indexes many CVEs by vendor and product and matches device
//     groups against them.
//   - gen.go generates synthetic feeds and inventories for benchmarks.
//
// Unknown is a first-class answer everywhere: a device whose firmware is not
// known, or a range that cannot be compared, gives a finding with
// VersionCertain false, never silence.
package nvd
