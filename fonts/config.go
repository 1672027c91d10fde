package fonts

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

//go:embed config.json
var embeddedConfig []byte

// The font roles of the document model (render.Role*), repeated here so that
// fonts does not import render.
const (
	RoleTitle       = "title"
	RoleBody        = "body"
	RoleHeading1    = "heading1"
	RoleHeading2    = "heading2"
	RoleTable       = "table"
	RoleTableHeader = "tableHeader"
	RolePageNumber  = "pageNumber"
)

// Roles lists the roles of the default configuration in a stable order.
var Roles = []string{RoleTitle, RoleBody, RoleHeading1, RoleHeading2, RoleTable, RoleTableHeader, RolePageNumber}

// Environment variables read by DefaultConfig.
const (
	EnvConfig = "GONGWEN_FONT_CONFIG" // path of a JSON file overriding the embedded configuration
	EnvDirs   = "GONGWEN_FONT_DIRS"   // extra font directories, separated by os.PathListSeparator
)

// Config says where fonts are and which family sets each role.
type Config struct {
	// Comment is free text for people editing the file.
	Comment string `json:"comment,omitempty"`
	// Dirs are searched (recursively) before the system directories.
	Dirs []string `json:"dirs"`
	// Roles maps a role to family names in order of preference.
	Roles map[string][]string `json:"roles"`
	// Official maps a role to the face named in DOCX files and against
	// which substitutes are reported.
	Official map[string]string `json:"official"`
	// Fallback is appended to every role's list.
	Fallback []string `json:"fallback"`
	// NoSystemDirs skips the standard Debian font directories (for tests
	// and hermetic deployments).
	NoSystemDirs bool `json:"noSystemDirs"`
	// AllowPrivateUse lets private-use characters (U+E000–U+F8FF, planes
	// 15–16) be set from fonts that map them. Off by default: what a
	// private-use code means depends on the font that made it (a unit's own
	// 造字 font), and a fallback font's glyph there (BabelStone Han has
	// 4,600) would be a silently wrong character.
	AllowPrivateUse bool `json:"allowPrivateUse"`
}

// SystemDirs are the standard font locations of Debian (and most Linux
// distributions) searched after Config.Dirs.
func SystemDirs() []string {
	dirs := []string{"/usr/share/fonts", "/usr/local/share/fonts"}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		dirs = append(dirs, filepath.Join(x, "fonts"))
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		dirs = append(dirs, filepath.Join(h, ".local", "share", "fonts"), filepath.Join(h, ".fonts"))
	}
	return dirs
}

// LoadConfig reads a configuration file; "" returns the embedded default.
// A file overrides the default key by key: a role it lists replaces that
// role's list, its dirs come before the default's.
func LoadConfig(path string) (Config, error) {
	var cfg Config
	if err := json.Unmarshal(embeddedConfig, &cfg); err != nil {
		return Config{}, fmt.Errorf("embedded font configuration: %w", err)
	}
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("font configuration: %w", err)
	}
	var over Config
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt key must not silently do nothing
	if err := dec.Decode(&over); err != nil {
		return Config{}, fmt.Errorf("font configuration %s: %w", path, err)
	}
	for role, fams := range over.Roles {
		if len(fams) == 0 || slices.Contains(fams, "") {
			return Config{}, fmt.Errorf("font configuration %s: role %q needs a list of non-empty family names", path, role)
		}
	}
	cfg.Dirs = append(slices.Clone(over.Dirs), cfg.Dirs...)
	for role, fams := range over.Roles {
		cfg.Roles[role] = fams
	}
	for role, name := range over.Official {
		cfg.Official[role] = name
	}
	if over.Fallback != nil {
		cfg.Fallback = over.Fallback
	}
	cfg.NoSystemDirs = cfg.NoSystemDirs || over.NoSystemDirs
	cfg.AllowPrivateUse = cfg.AllowPrivateUse || over.AllowPrivateUse
	return cfg, nil
}

// DefaultConfig is the embedded configuration overridden by the file named
// in GONGWEN_FONT_CONFIG and the directories in GONGWEN_FONT_DIRS.
func DefaultConfig() (Config, error) {
	cfg, err := LoadConfig(os.Getenv(EnvConfig))
	if err != nil {
		return Config{}, err
	}
	if dirs := os.Getenv(EnvDirs); dirs != "" {
		var extra []string
		for _, d := range filepath.SplitList(dirs) {
			if d = strings.TrimSpace(d); d != "" {
				extra = append(extra, d)
			}
		}
		cfg.Dirs = append(extra, cfg.Dirs...)
	}
	return cfg, nil
}

// chainNames is the role's list followed by the fallbacks, without repeats.
func (c *Config) chainNames(role string) ([]string, bool) {
	names, ok := c.Roles[role]
	if !ok {
		return nil, false
	}
	seen := map[string]bool{}
	var out []string
	for _, n := range append(slices.Clone(names), c.Fallback...) {
		k := normalizeName(n)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, n)
	}
	return out, true
}

// normalizeName folds case and drops spaces, hyphens and underscores so
// that "Noto Serif CJK SC", "NotoSerifCJKsc" and "noto-serif-cjk-sc" match.
func normalizeName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case ' ', '-', '_', '\u3000':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
