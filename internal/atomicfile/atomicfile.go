// Package atomicfile replaces a file's content all at once: a reader sees
// the old file or the new one, never a part, and once Write returns the
// new content and its name are on disk.
package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// Write creates or replaces the file at path with what write writes. It
// writes a temporary file in the same directory (named after path, with a
// leading dot), then flushes it, sets its mode to perm (exactly: the umask
// does not apply), fsyncs and closes it, renames it over path and fsyncs
// the directory, so that the rename too survives a crash.
//
// write gets a buffered writer, which Write flushes. On any failure,
// write's error included, and if write panics, Write removes the
// temporary file and leaves an existing file at path untouched; the
// returned error names path and wraps the cause. A directory that does
// not exist gives an error that wraps fs.ErrNotExist and names it.
//
// If path is a symbolic link, the link is replaced, not its target. The
// one failure that comes after the rename is the directory's fsync: then
// path already has the new content, and Write still reports the error.
func Write(path string, perm os.FileMode, write func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("write %s: directory %s: %w", path, filepath.Clean(dir), fs.ErrNotExist)
		}
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	renamed := false
	defer func() {
		if !renamed {
			f.Close() // a second Close only returns an error, ignored here
			os.Remove(tmp)
		}
	}()

	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(perm); err != nil { // CreateTemp made it 0600
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil { // the data on disk before the name points at it
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	renamed = true
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("write %s: sync directory: %w", path, err)
	}
	return nil
}

// syncDir fsyncs a directory so that a rename in it is durable. Windows
// cannot open a directory for this, and commits renames itself.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if err1 := d.Close(); err == nil {
		err = err1
	}
	return err
}
