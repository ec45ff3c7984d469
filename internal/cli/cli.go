// Package cli is medsec's command line: one static binary whose
// subcommands share --db and print one clear line on failure.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/store"
)

// Env is what a command may touch of the outside world; tests fill it in.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ready, if set, is told the address the server listens on.
	Ready func(addr string)
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "Serve the web UI and the API", runServe},
		{"demo", "Generate a demo health system, load it and serve it", runDemo},
		{"import", "Import a source file into the inventory: the CMMS equipment list, a CMDB export, a monitoring export or Zeek logs (import --source cmms|cmdb|monitoring|zeek --file F)", runImport},
		{"correlate", "Correlate CMMS, CMDB and monitoring records into one inventory", runCorrelate},
		{"export", "Export links, assets or crossref files (CSV or XLSX)", runExport},
		{"migrate", "Apply database migrations", runMigrate},
		{"advisories", "Load CSAF advisories: advisories import PATH...", runAdvisories},
		{"ssvc", "SSVC deployer decision: ssvc --exploitation E --exposure X --automatable A --safety S --mission M [--json]", runSSVC},
		{"cvss", "Score a CVSS 3.0, 3.1 or 4.0 vector: cvss VECTOR [--json]", runCVSS},
		{"sbom", "Attach an SBOM (CycloneDX or SPDX) to a make/model/firmware: sbom import FILE", runSBOM},
		{"mds2", "Store an MDS2 form (HN 1-2013 or 1-2019 XLSX) for a model: mds2 import FILE", runMDS2},
		{"match", "Match the stored advisories to the inventory's make/model/firmware", runMatch},
		{"findings", "List findings (findings [--format json|csv] [--asset ID] [--cve ID] [--status S] [--kev] [--epss-min F]) or decide one (findings set ID --status S)", runFindings},
		{"vex", "Write the hospital's status per CVE of one model as OpenVEX: vex --model ID", runVEX},
		{"user", "Manage users: user add NAME --role ROLE [--party PARTY] --password-stdin", runUser},
		{"token", "Manage API tokens: token create NAME", runToken},
		{"scope", "Put facilities or modalities into a provider's scope: scope add PARTY [--facility NAME] [--modality NAME]", runScope},
		{"schedules", "Maintenance schedule templates: schedules import FILE | schedules status", runSchedules},
		{"workorders", "Import CMMS work orders: workorders import FILE [--skip-bad-rows] [--dry-run] [--tz ZONE] [--dates mdy|dmy]", runWorkOrders},
		{"sla", "SLA report (sla report --from DATE --to DATE --format json|csv|xlsx), policy and credit terms (sla policy|credits show|set FILE.json), warnings (sla warnings)", runSLA},
		{"bench", "Measure asset list and API latency (bench assets [--requests N]), import + correlate (bench correlate), SLA clocks and the service page (bench sla --workorders N)", runBench},
		{"score", "Rescore assets: score [--full]", runScore}, {"assess", "Set an assessment: assess set --modality CODE|--model ID|--asset ID --point NAME --value V --reason R", runAssess}, {"lists", "Action lists: lists capital|mitigation|monitoring|restore [--format csv|xlsx|json]", runLists},
		{"agreement", "The agreement: agreement init|show|set|diff|versions|export [--version V] [--format docx|pdf|md|xlsx] [--out DIR]", runAgreement},
		{"review", "Write the review pack: review --from DATE --to DATE --format pdf|html|xlsx [--out FILE]", runReview},
		{"version", "Print the version", runVersion},
	}
}

// Run runs medsec with args (without the program name) and returns the
// process exit code. Failures print one line: "medsec: <reason>".
func Run(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			if err != nil {
				fmt.Fprintf(env.Stderr, "medsec %s: %s\n", c.name, message(err))
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(env.Stderr, "medsec: unknown command %q; run medsec --help\n", args[0])
	return 2
}

// message is the one line a user sees. Application errors carry their own
// message; others (file system, parse) are shown as they are.
func message(err error) string {
	var e *medsec.Error
	if errors.As(store.Friendly(err), &e) {
		return e.Message
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "medsec %s: medical-device inventory and security for a hospital and its HTM service provider.\n\nUsage: medsec COMMAND [flags]\n\nCommands:\n", medsec.Version)
	cs := commands()
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nEvery command takes --db DSN (env MEDSEC_DB, default medsec.db): a file path or sqlite:PATH for SQLite, postgres://… for PostgreSQL.\nRun medsec COMMAND --help for its flags.\n")
}

// newFlags makes a command's flag set with the shared --db flag.
func newFlags(env *Env, name, usageLine string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stdout)
	def := env.Getenv("MEDSEC_DB")
	if def == "" {
		def = "medsec.db"
	}
	db := fs.String("db", def, "database: file path, sqlite:PATH or postgres://… (env MEDSEC_DB)")
	fs.Usage = func() {
		fmt.Fprintf(env.Stdout, "Usage: medsec %s\n\nFlags:\n", usageLine)
		fs.PrintDefaults()
	}
	return fs, db
}

// parse parses flags that may come before or after positional arguments,
// as people type them.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// storeFor parses a command's flags, refuses stray arguments and opens
// the store its --db names: the preamble most commands share.
func storeFor(ctx context.Context, fs *flag.FlagSet, db *string, args []string) (*store.Store, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return nil, err
	}
	if err := need(pos, 0, ""); err != nil {
		return nil, err
	}
	return open(ctx, *db)
}

func open(ctx context.Context, dsn string) (*store.Store, error) {
	return store.Open(ctx, dsn)
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func runVersion(ctx context.Context, env *Env, args []string) error {
	fs, _ := newFlags(env, "version", "version")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "medsec %s\n", medsec.Version)
	return nil
}

func runMigrate(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "migrate", "migrate [--db DSN]")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	names, _ := store.MigrationNames(st.Dialect())
	fmt.Fprintf(env.Stdout, "database %s is up to date (%s, %d migrations)\n", store.Redact(*db), st.Dialect(), len(names))
	return nil
}

func need(pos []string, n int, what string) error {
	if len(pos) < n {
		return medsec.Errorf(medsec.EINVALID, "missing %s", what)
	}
	if len(pos) > n {
		return medsec.Errorf(medsec.EINVALID, "unexpected argument %q", strings.Join(pos[n:], " "))
	}
	return nil
}
