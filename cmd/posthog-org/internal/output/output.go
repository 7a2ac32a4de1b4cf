// Package output prints a command's result as a table for people, or as JSON
// or CSV for programs.
package output

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Format is how a result is printed.
type Format string

// The formats of -o/--output.
const (
	Table Format = "table"
	JSON  Format = "json"
	CSV   Format = "csv"
)

// ParseFormat parses the value of -o/--output. An empty value picks Table
// when stdout is a terminal and JSON otherwise (a pipe, a file, CI).
func ParseFormat(s string, stdoutTTY bool) (Format, error) {
	switch Format(strings.ToLower(strings.TrimSpace(s))) {
	case "":
		if stdoutTTY {
			return Table, nil
		}
		return JSON, nil
	case Table:
		return Table, nil
	case JSON:
		return JSON, nil
	case CSV:
		return CSV, nil
	}
	return "", fmt.Errorf("unknown output format %q (want table, json or csv)", s)
}

// Column is one column of a table or CSV: its header and how to show an item
// in it.
type Column[T any] struct {
	Header string
	Value  func(T) string
}

// Print writes items in format f: JSON is the items themselves (an array,
// always, even when empty), Table and CSV the columns.
func Print[T any](w io.Writer, f Format, items []T, cols []Column[T]) error {
	if f == JSON {
		return PrintJSON(w, items)
	}
	rows := make([][]string, 0, len(items))
	for _, it := range items {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = c.Value(it)
		}
		rows = append(rows, row)
	}
	headers := make([]string, len(cols))
	for i, c := range cols {
		headers[i] = c.Header
	}
	return PrintRows(w, f, headers, rows)
}

// PrintJSON writes v as indented JSON and a newline. A nil slice is written
// as [] by callers passing an empty, non-nil slice.
func PrintJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// PrintRows writes headers and rows as an aligned table (headers in upper
// case, as gh and kubectl print them) or as CSV (headers as given).
func PrintRows(w io.Writer, f Format, headers []string, rows [][]string) error {
	if f == CSV {
		cw := csv.NewWriter(w)
		if err := cw.Write(headers); err != nil {
			return err
		}
		for _, r := range rows {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	up := make([]string, len(headers))
	for i, h := range headers {
		up[i] = strings.ToUpper(h)
	}
	fmt.Fprintln(tw, strings.Join(up, "\t"))
	for _, r := range rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = cell(c)
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// cell keeps a table cell on one line and shows an empty value as "-".
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
