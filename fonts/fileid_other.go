//go:build !unix

package fonts

// fileID names the file path leads to by its resolved path.
func fileID(path string) (string, bool) { return fileIDByPath(path) }
