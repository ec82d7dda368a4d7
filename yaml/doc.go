// Package yaml reads and writes arv scenarios (arv.Scenario) as YAML
// files, the format users edit. It is the adapter between the domain and
// the YAML parser github.com/goccy/go-yaml, screened by
// internal/yamlsafe.
//
// ParseScenario is strict: a key the Scenario type does not have, a value
// of the wrong type, an anchor, alias, tag or merge key, more than one
// document, an empty file, text that is not UTF-8, and input that is too
// large or nested too deeply are all errors. It reports every problem it
// finds, each as "file:line:column: path: message" with the path of the
// setting in the form arv.FieldError uses ("arvs[1].crew"), for example
//
//	wilts.yaml:14:5: arvs[1].crew: expected an integer, got "two"
//	wilts.yaml:3:1: netwrok: unknown field (did you mean network?)
//
// A syntax error stops parsing at the first one; other problems leave
// the setting at its zero value and parsing goes on. A parsed Document keeps
// the file's syntax tree so that the problems Scenario.Validate finds
// later can be placed in the file too (Document.Errors).
//
// Durations are plain numbers of minutes, as in arv.Scenario. Keys are
// the yaml tags of the arv types; a missing key leaves its field at the
// zero value, which Validate then reports where it matters.
//
// Set edits settings in the text of a file, keeping its comments and
// layout, for command-line overrides ("--set demand.incidents_per_year=300").
// Marshal writes a scenario as a plain file that ParseScenario reads back
// to an equal Scenario.
package yaml
