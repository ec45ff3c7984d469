package vers

import "strings"

// Some ICSMA advisories identify affected units by manufacture or
// distribution date ("< august 28", ICSMA-17-241-01; "distributed  < april 1,
// 2018", ICSMA-18-107-01; "<8/30/2024", ICSMA-24-249-01). A firmware version
// cannot be checked against a date, so such ranges are always uncertain; this
// file only words the Reason.

var months = map[string]bool{
	"january": true, "february": true, "march": true, "april": true, "may": true,
	"june": true, "july": true, "august": true, "september": true, "october": true,
	"november": true, "december": true,
	"jan": true, "feb": true, "mar": true, "apr": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
}

var dateWords = map[string]bool{
	"manufactured": true, "distributed": true, "shipped": true, "produced": true,
	"date": true, "dated": true,
}

// isDate reports whether one word is a numeric date: "8/30/2024" or
// "2018-04-01". Such words are never taken as versions.
func isDate(w string) bool {
	if strings.Count(w, "/") == 2 {
		for _, p := range strings.Split(w, "/") {
			if !allDigits(p) {
				return false
			}
		}
		return true
	}
	p := strings.Split(w, "-")
	return len(p) == 3 && len(p[0]) == 4 && len(p[1]) == 2 && len(p[2]) == 2 &&
		allDigits(p[0]) && allDigits(p[1]) && allDigits(p[2]) && p[1] <= "12" && p[2] <= "31"
}

// textReason explains an uninterpretable range, naming dates when the text
// speaks of them; why is the parser's own complaint.
func textReason(raw, why string) string {
	for _, w := range strings.FieldsFunc(strings.ToLower(raw), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '/' || r == '-')
	}) {
		if months[w] || dateWords[w] || isDate(w) {
			return "date-based range (units identified by manufacture/distribution date, not by version): " + why
		}
	}
	return why
}
