package main

import (
	"encoding/json"
	"io"

	"github.com/arv-project/arv/internal/atomicfile"
)

// writeJSON writes v as indented JSON followed by a newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeFile writes path atomically (internal/atomicfile): a failure
// leaves no partial file and any old one whole.
func writeFile(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, 0o644, write)
}
