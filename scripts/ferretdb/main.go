// Command ferretdb runs the embedded FerretDB (SQLite backend) that the portal uses when no
// MONGODB_URI is configured. It is launched as a child process by server/db/embedded.ts.
//
// Protocol with the parent: once the listener is bound, one line "READY <mongodb-uri>" is printed
// on stdout. The process stops cleanly on SIGTERM/SIGINT, and also when its stdin reaches EOF, so
// that it never outlives a parent that was killed without a chance to stop it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
)

// ferretdbVersion is the release pinned in go.mod; the embeddable package does not know its own
// version, and clients read it from buildInfo.
const ferretdbVersion = "v1.24.2"

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	dataDir := flag.String("data", "data/ferretdb", "directory of the SQLite databases")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", true, "stop when stdin reaches EOF (parent died)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	dir, err := filepath.Abs(*dataDir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -data %q: %s\n", *dataDir, err)
		os.Exit(2)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: cannot create data directory %s: %s\n", dir, err)
		os.Exit(1)
	}

	version.Get().Version = ferretdbVersion

	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Logger:   logger,
		Handler:  "sqlite",
		// Writes (FerretDB's insert and update transactions) take SQLite's write lock when they
		// begin, so concurrent writers queue for it (up to busy_timeout) instead of failing with
		// SQLITE_BUSY when a read transaction cannot be upgraded: measured, 550 simultaneous
		// read receipts made some updates fail. Queries run outside transactions. In WAL mode,
		// synchronous=NORMAL keeps the database consistent and survives a crash of the process;
		// only an operating-system crash or power cut may lose the last commits.
		SQLiteURL: "file:" + dir + "/?_txlock=immediate&_pragma=busy_timeout(30000)&_pragma=synchronous(normal)",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	if *watchStdin {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI blocks until the listener is bound, so the port is known here.
	fmt.Printf("READY %s\n", f.MongoDBURI())

	if err := <-done; err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}
