package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// names returns the names in dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func check(t *testing.T, path, want string, perm os.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s holds %q, want %q", path, got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != perm {
		t.Errorf("%s has mode %v, want %v", path, fi.Mode().Perm(), perm)
	}
	if ns := names(t, filepath.Dir(path)); len(ns) != 1 || ns[0] != filepath.Base(path) {
		t.Errorf("directory holds %q, want only %s", ns, filepath.Base(path))
	}
}

func TestWriteCreates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "graph.arvg")
	if err := Write(path, 0o644, writeString("hello")); err != nil {
		t.Fatal(err)
	}
	check(t, path, "hello", 0o644)
}

func TestWriteReplacesAndSetsPerm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(path, []byte("old content, longer than the new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, 0o600, writeString("new")); err != nil {
		t.Fatal(err)
	}
	check(t, path, "new", 0o600)
	// The mode is exactly perm, whatever the umask.
	if err := Write(path, 0o666, writeString("newer")); err != nil {
		t.Fatal(err)
	}
	check(t, path, "newer", 0o666)
}

// TestWriteLarge goes past the buffer so that the flush is tested too.
func TestWriteLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big")
	want := bytes.Repeat([]byte("0123456789abcdef"), 20000) // 320 KB
	err := Write(path, 0o644, func(w io.Writer) error {
		for i := 0; i < len(want); i += 1000 {
			if _, err := w.Write(want[i:min(i+1000, len(want))]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check(t, path, string(want), 0o644)
}

func TestWriteFailingWriterKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "graph.arvg")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, 0o644, func(w io.Writer) error {
		// More than the buffer holds, so part of it reaches the temporary file.
		w.Write(bytes.Repeat([]byte("x"), 100<<10))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want one wrapping boom", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name %s", err, path)
	}
	check(t, path, "old", 0o640)
}

func TestWriteFailingWriterCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	err := Write(filepath.Join(dir, "new"), 0o644, func(io.Writer) error { return errors.New("boom") })
	if err == nil {
		t.Fatal("no error")
	}
	if ns := names(t, dir); len(ns) != 0 {
		t.Fatalf("directory holds %q after a failed write", ns)
	}
}

func TestWritePanickingWriterLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the panic did not reach the caller")
			}
		}()
		Write(path, 0o644, func(w io.Writer) error { panic("writer bug") })
	}()
	check(t, path, "old", 0o644)
}

func TestWriteMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no", "such")
	path := filepath.Join(dir, "graph.arvg")
	err := Write(path, 0o644, writeString("x"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want one wrapping fs.ErrNotExist", err)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "directory "+dir) {
		t.Errorf("error %q should name the file and the missing directory", msg)
	}
}

func TestWriteOverDirectoryFails(t *testing.T) {
	parent := t.TempDir()
	path := filepath.Join(parent, "d")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, 0o644, writeString("x")); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	if ns := names(t, parent); len(ns) != 1 || ns[0] != "d" {
		t.Fatalf("directory holds %q, want only d", ns)
	}
}

func TestWriteRelativePath(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := Write("plain", 0o644, writeString("x")); err != nil {
		t.Fatal(err)
	}
	check(t, "plain", "x", 0o644)
}
