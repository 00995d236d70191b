// Command ferretdb runs the embedded FerretDB (SQLite backend) that the portal uses when no
// MONGODB_URI is configured. It is launched as a child process by server/db/embedded.ts.
//
// Protocol with the parent: once the listener is bound, one line "READY <mongodb-uri>" is printed
// on stdout. The process stops cleanly on SIGTERM/SIGINT, and also when its stdin reaches EOF, so
// that it never outlives a parent that was killed without a chance to stop it. With
// -ignore-signals (as the portal runs it) it ignores SIGINT, SIGTERM and SIGHUP and stops only
// when its stdin closes: a Ctrl-C in a terminal or a service manager signalling the whole group
// then cannot stop the database under a portal that is still draining its writes.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
	_ "modernc.org/sqlite"
)

// ferretdbVersion is the release pinned in go.mod; the embeddable package does not know its own
// version, and clients read it from buildInfo.
const ferretdbVersion = "v1.24.2"

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	dataDir := flag.String("data", "data/ferretdb", "directory of the SQLite databases")
	logLevel := flag.String("log-level", "warn", "log level: debug, info, warn or error")
	watchStdin := flag.Bool("watch-stdin", true, "stop when stdin reaches EOF (parent died)")
	ignoreSignals := flag.Bool("ignore-signals", false, "ignore SIGINT, SIGTERM and SIGHUP; stop only when stdin closes")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad -log-level %q\n", *logLevel)
		os.Exit(2)
	}
	logger := slog.New(lazyAttrs{handler: slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})})

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
		// only an operating-system crash or power cut may lose the last commits. The write-ahead
		// log is copied back into the database by checkpointWAL, in the background, rather than by
		// whichever commit fills it (measured: that commit took 20-40 ms, the p99 of Connect).
		SQLiteURL: "file:" + dir + "/?_txlock=immediate&_pragma=busy_timeout(30000)&_pragma=synchronous(normal)&_pragma=wal_autocheckpoint(0)",
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}

	var ctx context.Context
	var stop context.CancelFunc
	if *ignoreSignals && *watchStdin {
		signal.Ignore(syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
		ctx, stop = context.WithCancel(context.Background())
	} else {
		ctx, stop = signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	}
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

	go maintain(ctx, dir, logger)

	if err := <-done; err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}

// maintain keeps the SQLite databases in dir in shape while FerretDB runs, each through a
// connection of its own:
//
//   - Every 3 seconds it gives each collection table that lacks it an index on the expression
//     FerretDB v1.24's SQLite backend uses to find a document by _id (`_ferretdb_sjson->'$._id'`,
//     in its queries, updates and deletes). FerretDB's own unique index is on
//     `_ferretdb_sjson->"_id"`, which SQLite does not match to that expression, so without this
//     every lookup, update and delete by _id scans the whole collection (measured: an update by
//     _id took 1.2 ms with 20 documents, 6.4 ms with 2,000). FerretDB does not list or manage
//     these indexes; they go with their table when a collection is dropped.
//   - Twice a second it checkpoints the write-ahead log (checkpointWAL), and again 100 ms later
//     while a log is left longer than it should be.
func maintain(ctx context.Context, dir string, logger *slog.Logger) {
	dbs := map[string]*sql.DB{}
	defer func() {
		for _, db := range dbs {
			_ = db.Close()
		}
	}()

	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	// Files whose log a checkpoint left too long: checked again at the next tick.
	long := map[string]bool{}

	for tick := 0; ; tick++ {
		files, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
		for _, file := range files {
			db := dbs[file]
			if db == nil {
				var err error
				if db, err = sql.Open("sqlite", "file:"+file+"?_pragma=busy_timeout(30000)"); err != nil {
					logger.Warn("maintenance: open", slog.String("file", file), slog.String("error", err.Error()))
					continue
				}
				db.SetMaxOpenConns(1)
				dbs[file] = db
			}
			if tick%30 == 0 {
				if err := addIDPathIndexes(ctx, db); err != nil && ctx.Err() == nil {
					logger.Warn("id path index", slog.String("file", file), slog.String("error", err.Error()))
				}
			}
			if tick%5 == 0 || long[file] {
				var err error
				if long[file], err = checkpointWAL(ctx, db); err != nil && ctx.Err() == nil {
					logger.Warn("checkpoint", slog.String("file", file), slog.String("error", err.Error()))
				}
			}
		}

		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Write-ahead log lengths, in 4 KiB pages. Past walRestartPages (8 MiB) a checkpoint has the next
// writer start the log again from its beginning; past walLimitPages (64 MiB) not yet copied, or
// four times that in all, it empties the log whatever it has to wait for.
const (
	walRestartPages = 2048
	walLimitPages   = 16384
)

// walRestartWait is the longest a restarting checkpoint waits for the writer and the readers of
// the moment; it gives up past that (and tries again 100 ms later), because writers queue behind
// it while it waits. Once the log is four times walRestartPages, it waits walRestartLongWait.
const (
	walRestartWait     = 3 * time.Millisecond
	walRestartLongWait = 20 * time.Millisecond
)

// checkpointWAL copies committed pages from the write-ahead log into the database. It runs beside
// FerretDB's connections (which have automatic checkpoints off) and first copies only what it can
// without waiting for their locks (PASSIVE).
//
// A passive checkpoint never lets the log start again from its beginning while writers keep
// coming, so the log grew until something emptied it: inserting Connect-sized messages at
// 1,000/s it grew by ~22 MB/s, and emptying 256 MiB (TRUNCATE) held every writer for 130-230 ms
// every ~13 s (insert p99 14-35 ms, p99.9 120-180 ms). So once the log passes walRestartPages, a
// RESTART checkpoint, given walRestartWait at most, copies the little the passive one left
// (3-4 ms) and the next writer rewrites the log from its start, within the same file (insert p99
// 7-10 ms, p99.9 ~22 ms, slowest 40-80 ms). With writers always at work the restart may find no
// gap for a while, and the log grows meanwhile: checked only twice a second, it reached 72 MB in
// Connect's benchmark at 2,500 messages/s, where the database's CPU per message went from ~260
// to 360-430 µs (every read of a page looks through more log) and p99 to ~2 s. So a log left
// long is checked again 100 ms later, with a longer wait once it is four times the restart
// length (2,500/s: p99 73-97 ms, ~210 µs of database CPU per message).
//
// It reports whether the log was left longer than walRestartPages.
func checkpointWAL(ctx context.Context, db *sql.DB) (bool, error) {
	var busy, logPages, checkpointed int
	if err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logPages, &checkpointed); err != nil {
		return false, err
	}
	switch {
	case logPages-checkpointed > walLimitPages || logPages > 4*walLimitPages:
		err := db.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logPages, &checkpointed)
		return busy != 0, err
	case logPages > walRestartPages:
		wait := walRestartWait
		if logPages > 4*walRestartPages {
			wait = walRestartLongWait
		}
		conn, err := db.Conn(ctx)
		if err != nil {
			return true, err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, wait.Milliseconds())); err != nil {
			return true, err
		}
		// busy = 1 when it gave up waiting: not an error, it is tried again at the next tick.
		err = conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(RESTART)`).Scan(&busy, &logPages, &checkpointed)
		if _, resetErr := conn.ExecContext(ctx, `PRAGMA busy_timeout = 30000`); err == nil {
			err = resetErr
		}
		return busy != 0, err
	}
	return false, nil
}

// addIDPathIndexes adds the _id path index to the tables of one database that lack it.
func addIDPathIndexes(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, `
		SELECT t.name FROM sqlite_master t
		WHERE t.type = 'table' AND t.name NOT LIKE '\_ferretdb\_%' ESCAPE '\' AND t.sql LIKE '%_ferretdb_sjson%'
		AND NOT EXISTS (SELECT 1 FROM sqlite_master i WHERE i.type = 'index' AND i.name = t.name || '__id_path')`)
	if err != nil {
		return err
	}

	var tables []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			_ = rows.Close()
			return err
		}
		tables = append(tables, name)
	}
	if err := rows.Close(); err != nil {
		return err
	}

	for _, table := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+"__id_path", table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// lazyAttrs is a slog.Handler that keeps the attributes given to Logger.With aside and has the
// handler it wraps format them only for a record that is logged.
//
// FerretDB v1.24 calls Logger.With with the arguments of every SQL statement it runs, before its
// debug-level call checks the level (internal/util/fsql), and slog's JSON handler formats those
// attributes as soon as With is called: every inserted document was written out as JSON twice,
// then dropped (measured: 7% of the database's CPU, and its garbage, storing Connect messages).
type lazyAttrs struct {
	handler slog.Handler
	attrs   []slog.Attr
}

func (h lazyAttrs) Enabled(ctx context.Context, level slog.Level) bool {
	return h.handler.Enabled(ctx, level)
}

func (h lazyAttrs) WithAttrs(attrs []slog.Attr) slog.Handler {
	// Clip: each derived handler appends to its own copy, never to a sibling's.
	return lazyAttrs{handler: h.handler, attrs: append(slices.Clip(h.attrs), attrs...)}
}

func (h lazyAttrs) WithGroup(name string) slog.Handler {
	return lazyAttrs{handler: h.resolved().WithGroup(name)}
}

func (h lazyAttrs) Handle(ctx context.Context, record slog.Record) error {
	return h.resolved().Handle(ctx, record)
}

// resolved is the wrapped handler with the attributes kept aside.
func (h lazyAttrs) resolved() slog.Handler {
	if len(h.attrs) == 0 {
		return h.handler
	}
	return h.handler.WithAttrs(h.attrs)
}
