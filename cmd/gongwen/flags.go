package main

import (
	"flag"
	"os"
	"path/filepath"
)

// templateDirsFlag adds --templates (repeatable, or a list separated by the
// OS path-list separator); GONGWEN_TEMPLATE_DIRS gives the default.
func templateDirsFlag(fs *flag.FlagSet) *[]string {
	dirs := &[]string{}
	if env := os.Getenv("GONGWEN_TEMPLATE_DIRS"); env != "" {
		*dirs = filepath.SplitList(env)
	}
	fs.Func("templates", "extra template directory (repeatable; env GONGWEN_TEMPLATE_DIRS)", func(s string) error {
		*dirs = append(*dirs, filepath.SplitList(s)...)
		return nil
	})
	return dirs
}
