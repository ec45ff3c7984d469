#!/usr/bin/env bash
# scripts/test.sh: the one command that runs every medsec test on a fresh
# Debian machine with Go. It installs PostgreSQL and Chromium from Debian's
# packages where they are missing, starts a throw-away PostgreSQL in its own
# data directory on a free port, then runs go vet and go test against both
# backends (SQLite always; PostgreSQL through MEDSEC_TEST_POSTGRES) and the
# browser tests through MEDSEC_TEST_CHROMIUM.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '== %s\n' "$*" >&2; }

need_pkgs=()
pg_bin=""
for d in /usr/lib/postgresql/*/bin; do
	[ -x "$d/initdb" ] && pg_bin="$d"
done
[ -n "$pg_bin" ] || need_pkgs+=(postgresql)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium chromium-driver)
if [ ${#need_pkgs[@]} -gt 0 ]; then
	log "installing ${need_pkgs[*]} from Debian's packages"
	if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
	for d in /usr/lib/postgresql/*/bin; do
		[ -x "$d/initdb" ] && pg_bin="$d"
	done
fi

# A private PostgreSQL: own data directory, own socket directory, free port.
work=$(mktemp -d /tmp/medsec-test.XXXXXX)
pgdata="$work/pgdata"
free_port() {
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	echo 55432
}
port=$(free_port)
run_pg() {
	# PostgreSQL refuses to run as root; use the postgres account then.
	if [ "$(id -u)" -eq 0 ]; then
		chown -R postgres "$work" 2>/dev/null || { id postgres >/dev/null 2>&1 || useradd -r postgres; chown -R postgres "$work"; }
		su postgres -s /bin/sh -c "$*"
	else
		sh -c "$*"
	fi
}
cleanup() {
	run_pg "'$pg_bin/pg_ctl' -D '$pgdata' -m immediate stop" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
log "starting PostgreSQL ($pg_bin) on port $port"
run_pg "'$pg_bin/initdb' -D '$pgdata' -U medsec --auth=trust --encoding=UTF8 --locale=C.UTF-8" >/dev/null
run_pg "'$pg_bin/pg_ctl' -D '$pgdata' -l '$work/pg.log' -o \"-p $port -k '$work' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" -w start" >/dev/null

export MEDSEC_TEST_POSTGRES="postgres://medsec@127.0.0.1:$port/postgres?sslmode=disable"
export MEDSEC_TEST_CHROMIUM="$(command -v chromium)"

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi
log "go vet ./..."
go vet ./...
log "cross-build for windows/amd64 (CGO_ENABLED=0)"
CGO_ENABLED=0 GOOS=windows GOARCH=amd64 go build -o /dev/null ./cmd/medsec
log "go test ./... (SQLite and PostgreSQL, Chromium)"
go test -count=1 -timeout 15m "$@" ./...
