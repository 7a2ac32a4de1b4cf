// Command schemacut copies the part of an OpenAPI document that the SDK's
// contract tests read: the paths that match a pattern, with every component
// they reference (transitively), every security scheme and the document's
// other top-level keys except the x- extensions. The order of the source is
// kept. The contract tests read its output from testdata/; DEVELOPING.md has
// the command that wrote it:
//
//	go run ./internal/schemacut -in ../../shared/posthog-openapi/openapi.yaml -out testdata/openapi.yaml \
//		-paths '^/api/organizations/|^/api/projects/\{[a-z_]+\}/(batch_exports|integrations)/|^/api/environments/\{[a-z_]+\}/batch_exports/'
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v4"
)

func main() {
	in := flag.String("in", "", "the OpenAPI document to cut (YAML)")
	out := flag.String("out", "", "where to write the cut")
	paths := flag.String("paths", "", "regular expression: the paths to keep")
	flag.Parse()
	if err := run(*in, *out, *paths); err != nil {
		fmt.Fprintln(os.Stderr, "schemacut:", err)
		os.Exit(1)
	}
}

func run(in, out, pattern string) error {
	if in == "" || out == "" || pattern == "" {
		return fmt.Errorf("-in, -out and -paths are required")
	}
	keep, err := regexp.Compile(pattern)
	if err != nil {
		return err
	}
	src, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return fmt.Errorf("%s: not a YAML mapping", in)
	}
	root := doc.Content[0]
	cut, err := cutDocument(root, keep)
	if err != nil {
		return err
	}
	doc.Content[0] = cut
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# The part of %s that posthogapi's contract tests read: the paths matching\n# %s\n# and the components they reference. Written by contract/internal/schemacut; do not edit.\n", baseName(in), pattern)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// get returns the value of key in mapping m, or nil.
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// cutDocument returns a copy of the root mapping with the kept paths and the
// closure of the components they reference.
func cutDocument(root *yaml.Node, keep *regexp.Regexp) (*yaml.Node, error) {
	paths, components := get(root, "paths"), get(root, "components")
	if paths == nil || components == nil {
		return nil, fmt.Errorf("no paths or no components")
	}
	keptPaths := &yaml.Node{Kind: yaml.MappingNode, Tag: paths.Tag}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		if keep.MatchString(paths.Content[i].Value) {
			keptPaths.Content = append(keptPaths.Content, paths.Content[i], paths.Content[i+1])
		}
	}
	if len(keptPaths.Content) == 0 {
		return nil, fmt.Errorf("no path matches %s", keep)
	}

	// The closure of the references, "#/components/<section>/<name>".
	used := map[string]map[string]bool{}
	var queue []*yaml.Node
	var walk func(n *yaml.Node) error
	walk = func(n *yaml.Node) error {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value != "$ref" {
					continue
				}
				ref := n.Content[i+1].Value
				rest, ok := strings.CutPrefix(ref, "#/components/")
				if !ok {
					return fmt.Errorf("reference %q is not to a component", ref)
				}
				section, name, ok := strings.Cut(rest, "/")
				if !ok {
					return fmt.Errorf("reference %q", ref)
				}
				if used[section][name] {
					continue
				}
				target := get(get(components, section), name)
				if target == nil {
					return fmt.Errorf("reference %q to nothing", ref)
				}
				if used[section] == nil {
					used[section] = map[string]bool{}
				}
				used[section][name] = true
				queue = append(queue, target)
			}
		}
		for _, c := range n.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(keptPaths); err != nil {
		return nil, err
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if err := walk(n); err != nil {
			return nil, err
		}
	}

	keptComponents := &yaml.Node{Kind: yaml.MappingNode, Tag: components.Tag}
	for i := 0; i+1 < len(components.Content); i += 2 {
		section, body := components.Content[i], components.Content[i+1]
		if section.Value == "securitySchemes" {
			keptComponents.Content = append(keptComponents.Content, section, body)
			continue
		}
		kept := &yaml.Node{Kind: yaml.MappingNode, Tag: body.Tag}
		for j := 0; j+1 < len(body.Content); j += 2 {
			if used[section.Value][body.Content[j].Value] {
				kept.Content = append(kept.Content, body.Content[j], body.Content[j+1])
			}
		}
		if len(kept.Content) > 0 {
			keptComponents.Content = append(keptComponents.Content, section, kept)
		}
	}

	out := &yaml.Node{Kind: yaml.MappingNode, Tag: root.Tag}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		switch {
		case key.Value == "paths":
			val = keptPaths
		case key.Value == "components":
			val = keptComponents
		case strings.HasPrefix(key.Value, "x-"), key.Value == "tags":
			continue
		}
		out.Content = append(out.Content, key, val)
	}
	return out, nil
}
