// Package yamlsafe guards the YAML parser github.com/goccy/go-yaml
// (v1.19.2) against input that makes it panic, hang or slow down, and
// locates problems in the files it parses, for the packages that read
// YAML files (road/osm for vehicle profiles, yaml for scenarios).
//
// The parser has three hazards this package works around:
//
//   - its decoder panics on an empty document (DecodeFromNode): Parse
//     returns a nil body for one, so callers need not decode it;
//   - its time grows steeply with nesting depth and with the number of
//     keys in one mapping (quadratically: 16,000 keys take over a
//     second): Screen refuses such input before it reaches the parser,
//     within limits each caller chooses (Limits);
//   - it miscounts lines in files with Windows (CRLF) line ends:
//     Parse turns them into plain line feeds first.
//
// Problems are reported as *Error, formatted "file:line:column: path:
// message", where the path names a setting as "arvs[2].base" or
// "speeds_kmh.primary" (Lookup finds where a path is in a parsed file).
package yamlsafe
