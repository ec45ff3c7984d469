package agreement

import (
	"fmt"
	"net/smtp"
	"strings"
	"time"
)

// Mailer sends notification e-mail through an SMTP relay (no auth, as a
// hospital's internal relay usually is).
type Mailer struct {
	Addr string // host:port
	From string
}

// MailerFromEnv returns a mailer from MEDSEC_SMTP_ADDR and
// MEDSEC_SMTP_FROM, or nil when MEDSEC_SMTP_ADDR is not set.
func MailerFromEnv(getenv func(string) string) *Mailer {
	addr := strings.TrimSpace(getenv("MEDSEC_SMTP_ADDR"))
	if addr == "" {
		return nil
	}
	from := strings.TrimSpace(getenv("MEDSEC_SMTP_FROM"))
	if from == "" {
		from = "medsec@localhost"
	}
	return &Mailer{Addr: addr, From: from}
}

// Send mails a plain-text message.
func (m *Mailer) Send(to []string, subject, body string) error {
	hdr := func(s string) string { return strings.NewReplacer("\r", " ", "\n", " ").Replace(s) }
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n",
		hdr(m.From), hdr(strings.Join(to, ", ")), hdr(subject), time.Now().UTC().Format(time.RFC1123Z))
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))
	if err := smtp.SendMail(m.Addr, nil, m.From, to, []byte(b.String())); err != nil {
		return fmt.Errorf("smtp %s: %w", m.Addr, err)
	}
	return nil
}
