package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/auth"
	"github.com/medsec/medsec/internal/store"
)

func runUser(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec user add NAME --role admin|htm|security|provider|viewer [--party PARTY] --password-stdin [--db DSN]")
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec user add NAME --role ROLE [--party PARTY] --password-stdin")
	}
	fs, db := newFlags(env, "user add", "user add NAME --role ROLE [--party PARTY] --password-stdin")
	role := fs.String("role", "", "admin, htm, security, provider or viewer")
	party := fs.String("party", "", "the provider party a provider user belongs to (created if new)")
	stdin := fs.Bool("password-stdin", false, "read the password from standard input")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 1, "user NAME"); err != nil {
		return err
	}
	r, err := medsec.ParseRole(*role)
	if err != nil {
		return err
	}
	if !*stdin {
		return medsec.Errorf(medsec.EINVALID, "give the password on standard input with --password-stdin (it never goes on the command line)")
	}
	pw, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return medsec.Errorf(medsec.EINVALID, "cannot read the password from standard input: %v", err)
	}
	pw = strings.TrimRight(pw, "\r\n")
	if pw == "" {
		return medsec.Errorf(medsec.EINVALID, "no password on standard input")
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := addUser(ctx, st, pos[0], r, *party, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created user %s (%s%s)\n", u.Name, u.Role, partySuffix(u))
	return nil
}

func partySuffix(u *medsec.User) string {
	if u.PartyName != "" {
		return ", party " + u.PartyName
	}
	return ""
}

func addUser(ctx context.Context, st *store.Store, name string, role medsec.Role, party, password string) (*medsec.User, error) {
	hash, err := auth.HashPassword(password, auth.Default)
	if err != nil {
		return nil, medsec.Errorf(medsec.EINVALID, "%v", err)
	}
	u := &medsec.User{Name: name, Role: role}
	if party != "" {
		if role != medsec.RoleProvider {
			return nil, medsec.Errorf(medsec.EINVALID, "--party is for provider users")
		}
		p, err := st.EnsureParty(ctx, medsec.System, party, medsec.PartyProvider)
		if err != nil {
			return nil, err
		}
		if p.Kind != medsec.PartyProvider {
			return nil, medsec.Errorf(medsec.EINVALID, "party %q is a %s, not a provider", party, p.Kind)
		}
		u.PartyID, u.PartyName = p.ID, p.Name
	}
	return u, st.CreateUser(ctx, medsec.System, u, hash)
}

func runToken(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			fmt.Fprintln(env.Stdout, "Usage: medsec token create USER [--name LABEL] [--db DSN]\nPrints a new API token for USER; use it as \"Authorization: Bearer <token>\".")
			return nil
		}
		return medsec.Errorf(medsec.EINVALID, "usage: medsec token create USER")
	}
	fs, db := newFlags(env, "token create", "token create USER [--name LABEL]")
	label := fs.String("name", "cli", "a label for the token")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 1, "USER"); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	u, _, err := st.UserByName(ctx, pos[0])
	if err != nil {
		return err
	}
	tok := auth.NewToken("msk_")
	if _, err := st.CreateToken(ctx, medsec.System, u.ID, *label, auth.HashToken(tok)); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, tok)
	return nil
}

func runScope(ctx context.Context, env *Env, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
		fmt.Fprintln(env.Stdout, "Usage: medsec scope add PARTY [--facility NAME] [--modality NAME] [--db DSN]\nPuts a facility, a modality, or a modality at a facility into a provider party's contract scope.")
		return nil
	}
	if len(args) == 0 || args[0] != "add" {
		return medsec.Errorf(medsec.EINVALID, "usage: medsec scope add PARTY [--facility NAME] [--modality NAME]")
	}
	fs, db := newFlags(env, "scope add", "scope add PARTY [--facility NAME] [--modality NAME]")
	fac := fs.String("facility", "", "facility name")
	mod := fs.String("modality", "", "modality name or code")
	pos, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if err := need(pos, 1, "PARTY"); err != nil {
		return err
	}
	st, err := open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	return addScope(ctx, st, pos[0], *fac, *mod)
}

func addScope(ctx context.Context, st *store.Store, party, facility, modality string) error {
	p, err := st.EnsureParty(ctx, medsec.System, party, medsec.PartyProvider)
	if err != nil {
		return err
	}
	rule := medsec.ScopeRule{PartyID: p.ID}
	if facility != "" {
		fs, err := st.Facilities(ctx)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if strings.EqualFold(f.Name, facility) {
				rule.FacilityID = f.ID
			}
		}
		if rule.FacilityID == 0 {
			return medsec.Errorf(medsec.ENOTFOUND, "no facility named %q", facility)
		}
	}
	if modality != "" {
		ms, err := st.Modalities(ctx)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if strings.EqualFold(m.Name, modality) || strings.EqualFold(m.Code, modality) {
				rule.ModalityID = m.ID
			}
		}
		if rule.ModalityID == 0 {
			return medsec.Errorf(medsec.ENOTFOUND, "no modality named %q", modality)
		}
	}
	if rule.FacilityID == 0 && rule.ModalityID == 0 {
		return medsec.Errorf(medsec.EINVALID, "give --facility, --modality or both")
	}
	return st.AddScope(ctx, medsec.System, rule)
}
