package batch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// tempPrefix starts the name of every temporary file the batch writes; the
// shard tag follows so that a run only ever removes its own shard's
// leftovers from a shared output directory.
const tempPrefix = ".gongwen-tmp-"

// writeAtomic writes data to path so that path is at any moment either
// absent, its old content, or all of data: write a temporary file in the
// same directory, sync it, rename it over path. A crash leaves at worst a
// temporary file, which the next run removes (sweepTemps). The directory
// itself is synced by the caller (syncDir) before the manifest refers to
// the file, so that the rename survives a power cut too.
func writeAtomic(path string, data []byte, tag string) error {
	if diskFullHook != nil {
		if err := diskFullHook(path); err != nil {
			return err
		}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, tempPrefix+tag+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	ok = true
	return nil
}

// diskFullHook lets tests make a write fail as on a full disk; nil in
// production.
var diskFullHook func(path string) error

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	// Some file systems (and Windows) cannot sync a directory; the data is
	// synced already, so that is not a reason to fail the batch.
	if errors.Is(err, os.ErrInvalid) || errors.Is(err, errUnsupportedSync) {
		return nil
	}
	return err
}

// sweepTemps removes the temporary files a killed run of this shard left
// in the output tree, and returns how many it removed.
func sweepTemps(out, tag string) (int, error) {
	prefix := tempPrefix + tag + "-"
	n := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), prefix) {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
