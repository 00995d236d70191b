package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// counted is a log value that counts how often it is written out.
type counted struct{ resolved *int }

func (c counted) LogValue() slog.Value {
	*c.resolved++
	return slog.StringValue("document")
}

func TestLazyAttrsFormatsOnlyWhatIsLogged(t *testing.T) {
	var out bytes.Buffer
	var resolved int
	logger := slog.New(lazyAttrs{handler: slog.NewJSONHandler(&out, &slog.HandlerOptions{Level: slog.LevelInfo})})

	// As FerretDB's SQL wrapper does for every statement: With, then a debug record.
	logger.With(slog.Any("args", counted{&resolved})).Debug(">>> INSERT")
	if resolved != 0 || out.Len() != 0 {
		t.Fatalf("a record below the level formatted its attributes %d times and wrote %q", resolved, out.String())
	}

	logger.With(slog.Any("args", counted{&resolved})).Info("kept")
	if resolved != 1 || !strings.Contains(out.String(), `"msg":"kept","args":"document"`) {
		t.Fatalf("a logged record: resolved %d times, wrote %q", resolved, out.String())
	}
}

func TestLazyAttrsKeepsOrderAndGroups(t *testing.T) {
	var out bytes.Buffer
	logger := slog.New(lazyAttrs{handler: slog.NewJSONHandler(&out, nil)})

	parent := logger.With("a", 1)
	// Two children of one parent: neither sees the other's attributes.
	first := parent.With("b", 2)
	second := parent.With("c", 3)
	first.Info("first", "d", 4)
	second.WithGroup("g").With("e", 5).InfoContext(context.Background(), "second", "f", 6)

	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", out.String())
	}
	if !strings.HasSuffix(lines[0], `"msg":"first","a":1,"b":2,"d":4}`) {
		t.Errorf("first line: %s", lines[0])
	}
	if !strings.HasSuffix(lines[1], `"msg":"second","a":1,"c":3,"g":{"e":5,"f":6}}`) {
		t.Errorf("second line: %s", lines[1])
	}
}
