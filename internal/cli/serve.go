package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/medsec/medsec"
	"github.com/medsec/medsec/internal/agreement"
	"github.com/medsec/medsec/internal/inbox"
	"github.com/medsec/medsec/internal/store"
	"github.com/medsec/medsec/internal/vuln"
	"github.com/medsec/medsec/internal/web"
)

func runServe(ctx context.Context, env *Env, args []string) error {
	fs, db := newFlags(env, "serve", "serve [--listen ADDR] [--inbox DIR] [--inbox-every DURATION] [--fetch-every DURATION --fetch kev,epss] [--db DSN]")
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on")
	inboxDir := fs.String("inbox", "", "drop folder: import each file that appears (source from the cmms/, cmdb/, monitoring/, zeek/ subfolder or the file name)")
	every := fs.Duration("inbox-every", 30*time.Second, "how often to look in the drop folder")
	fetchEvery := fs.Duration("fetch-every", 0, "fetch the public feeds this often (0, the default: never reach the network)")
	fetchKinds := fs.String("fetch", "kev,epss", "which feeds --fetch-every fetches: kev, epss, nvd")
	st, err := storeFor(ctx, fs, db, args)
	if err != nil {
		return err
	}
	defer st.Close()
	if *fetchEvery > 0 {
		kinds, err := vuln.ParseKinds(*fetchKinds)
		if err != nil {
			return err
		}
		if *fetchEvery < time.Hour {
			return medsec.Errorf(medsec.EINVALID, "--fetch-every %s is too often for public feeds; use 1h or more", *fetchEvery)
		}
		fctx, cancel := context.WithCancel(ctx)
		defer cancel()
		go vuln.FetchLoop(fctx, st, *fetchEvery, kinds, nil, logger(env.Stderr))
		fmt.Fprintf(env.Stdout, "fetching %s every %s\n", *fetchKinds, *fetchEvery)
	}
	if *inboxDir != "" {
		info, err := os.Stat(*inboxDir)
		if err != nil || !info.IsDir() {
			return medsec.Errorf(medsec.EINVALID, "--inbox %s is not a folder", *inboxDir)
		}
		w := &inbox.Watcher{Dir: *inboxDir, Store: st, Log: logger(env.Stderr), Interval: *every}
		ictx, cancel := context.WithCancel(ctx)
		defer cancel()
		go w.Run(ictx)
		fmt.Fprintf(env.Stdout, "watching %s for exports every %s\n", *inboxDir, *every)
	}
	sctx, stopSnapshots := context.WithCancel(ctx)
	defer stopSnapshots()
	go agreement.RunSnapshots(sctx, st, 24*time.Hour, logger(env.Stderr))
	go agreement.RunRouting(sctx, st, 5*time.Minute, logger(env.Stderr)) // RACI routing of findings, exceptions, work orders, SLA warnings
	return serve(ctx, env, st, *listen)
}

// serve runs the HTTP server until SIGINT/SIGTERM or ctx ends, then shuts
// down gracefully, letting requests in flight finish.
func serve(ctx context.Context, env *Env, st *store.Store, addr string) error {
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := logger(env.Stderr)
	srv := &http.Server{
		Handler:           web.New(st, log),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return medsec.Errorf(medsec.EINVALID, "cannot listen on %s: %v", addr, errors.Unwrap(err))
	}
	fmt.Fprintf(env.Stdout, "medsec %s serving http://%s (database: %s)\n", medsec.Version, ln.Addr(), st.Dialect())
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(env.Stdout, "shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
