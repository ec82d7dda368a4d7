package arv

import (
	"errors"
	"fmt"
)

// Application error codes. They are stable: clients and the HTTP layer
// map them to statuses.
const (
	ECONFLICT       = "conflict"
	EINTERNAL       = "internal"
	EINVALID        = "invalid"
	ENOTFOUND       = "not_found"
	ENOTIMPLEMENTED = "not_implemented"
	EUNAUTHORIZED   = "unauthorized"
	EFORBIDDEN      = "forbidden"
	ERATELIMITED    = "rate_limited"
	ETOOLARGE       = "too_large"
)

// Error is an application error: a code for programs and a message, a
// sentence, for the user. Any error that is not an *Error is internal and
// reaches users only as "Internal error.".
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is a sentence for the user ("Officer not found.").
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("arv error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the Code of the first *Error in its
// chain, EINTERNAL for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the Message of the
// first *Error in its chain, "Internal error." for any other error, and ""
// for nil.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
