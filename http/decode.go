package http

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/arv-project/arv"
)

// decode reads the request body, a single JSON value, into v strictly: the
// body must be declared application/json, must hold exactly one JSON value
// with no unknown fields and nothing after it, and must fit the limit that
// the server set with http.MaxBytesReader (too_large otherwise).
func decode(r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		return withStatus(http.StatusUnsupportedMediaType, arv.EINVALID, "Send the request body as JSON (Content-Type: application/json).")
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	// Exactly one value: anything but the end of the body is refused.
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			if e := tooLarge(err); e != nil {
				return e
			}
		}
		return arv.Errorf(arv.EINVALID, "Request body has data after the JSON value.")
	}
	return nil
}

// tooLarge returns the too_large error if err is the body limit's.
func tooLarge(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return arv.Errorf(arv.ETOOLARGE, "Request body is larger than %d bytes.", mbe.Limit)
	}
	return nil
}

// decodeError turns a json decoding error into a sentence for the user.
func decodeError(err error) error {
	if e := tooLarge(err); e != nil {
		return e
	}
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return arv.Errorf(arv.EINVALID, "Request body is empty; send a JSON object.")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return arv.Errorf(arv.EINVALID, "Request body is not valid JSON: it ends too soon.")
	case errors.As(err, &syn):
		return arv.Errorf(arv.EINVALID, "Request body is not valid JSON (at byte %d).", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return arv.Errorf(arv.EINVALID, "Field %q must be %s, not %s.", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
		}
		return arv.Errorf(arv.EINVALID, "Request body must be %s, not %s.", jsonKind(typ.Type.Kind().String()), typ.Value)
	}
	// encoding/json reports unknown fields only as text.
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return arv.Errorf(arv.EINVALID, "Unknown field %s.", f)
	}
	// Other errors of the decoder (a date that does not parse, a value out
	// of range) describe the input; keep them short and free of types.
	return arv.Errorf(arv.EINVALID, "Request body is not valid: %s.", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go kind as the JSON type a client sends.
func jsonKind(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "of another type"
}

// Query parameters.

// Query limits of list endpoints.
const (
	defaultListLimit = 100
	maxListLimit     = 1000
)

// intParam reads an integer parameter in [lo, hi], def when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, arv.Errorf(arv.EINVALID, "%s must be a whole number from %d to %d.", name, lo, hi)
	}
	return n, nil
}
