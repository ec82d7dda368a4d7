package arv

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// AuditEntry is one row of the hash-chained audit log. Every state change
// appends one in the same transaction (issue 6). Hash covers every field
// and the previous entry's hash, so editing or deleting a row breaks the
// chain at that row.
type AuditEntry struct {
	Seq int64     `json:"seq"`
	At  time.Time `json:"at"`
	// Actor is the username that made the change.
	Actor string `json:"actor"`
	// Action names the change ("incident.decide").
	Action string `json:"action"`
	// Entity is what changed ("incident/12").
	Entity string `json:"entity"`
	// Before and After are the entity's JSON before and after, null when
	// it did not exist.
	Before   json.RawMessage `json:"before"`
	After    json.RawMessage `json:"after"`
	PrevHash string          `json:"prev_hash"`
	Hash     string          `json:"hash"`
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditTimeFormat is how audit times are written and hashed: UTC with
// microseconds, which both databases keep exactly.
const AuditTimeFormat = "2006-01-02T15:04:05.000000Z"

// ComputeHash returns the SHA-256 of the entry's fields and PrevHash,
// each length-prefixed so that no two entries encode alike.
func (e *AuditEntry) ComputeHash() string {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.Seq))
	h.Write(n[:])
	field([]byte(e.At.UTC().Format(AuditTimeFormat)))
	field([]byte(e.Actor))
	field([]byte(e.Action))
	field([]byte(e.Entity))
	field(e.Before)
	field(e.After)
	field([]byte(e.PrevHash))
	return hex.EncodeToString(h.Sum(nil))
}

// AuditHead is the last entry's sequence number and hash, kept apart from
// the log so that deleting the newest rows is detected too.
type AuditHead struct {
	Seq  int64  `json:"seq"`
	Hash string `json:"hash"`
}

// AuditProblem is a break in the chain.
type AuditProblem struct {
	// Seq is the row where the chain breaks (for a deleted row, the row
	// after the gap).
	Seq     int64  `json:"seq"`
	Message string `json:"message"`
}

// AuditVerifier checks a log entry by entry, in sequence order.
type AuditVerifier struct {
	prevSeq  int64
	prevHash string
	// Checked counts the entries seen.
	Checked  int64
	Problems []AuditProblem
}

// NewAuditVerifier returns a verifier expecting the first entry.
func NewAuditVerifier() *AuditVerifier {
	return &AuditVerifier{prevHash: GenesisHash}
}

func (v *AuditVerifier) problem(seq int64, format string, args ...any) {
	if len(v.Problems) < 1000 {
		v.Problems = append(v.Problems, AuditProblem{Seq: seq, Message: fmt.Sprintf(format, args...)})
	}
}

// Add checks the next entry.
func (v *AuditVerifier) Add(e *AuditEntry) {
	v.Checked++
	if e.Seq != v.prevSeq+1 {
		if e.Seq > v.prevSeq+1 {
			v.problem(e.Seq, "row %d: rows %d to %d are missing (deleted)", e.Seq, v.prevSeq+1, e.Seq-1)
		} else {
			v.problem(e.Seq, "row %d: out of sequence after row %d", e.Seq, v.prevSeq)
		}
	} else if e.PrevHash != v.prevHash {
		v.problem(e.Seq, "row %d: does not follow row %d (previous hash differs: a row was deleted or replaced)", e.Seq, v.prevSeq)
	}
	if got := e.ComputeHash(); got != e.Hash {
		v.problem(e.Seq, "row %d: contents do not match its hash (edited)", e.Seq)
	}
	v.prevSeq, v.prevHash = e.Seq, e.Hash
}

// Finish compares the end of the chain with the recorded head.
func (v *AuditVerifier) Finish(head AuditHead) {
	switch {
	case head.Seq > v.prevSeq:
		v.problem(v.prevSeq+1, "rows %d to %d are missing from the end of the log (deleted)", v.prevSeq+1, head.Seq)
	case head.Seq < v.prevSeq:
		v.problem(head.Seq+1, "rows after %d are not recorded in the chain head (added outside the server)", head.Seq)
	case head.Hash != v.prevHash && !(head.Seq == 0 && head.Hash == ""):
		v.problem(head.Seq, "row %d: differs from the chain head (replaced)", head.Seq)
	}
}

// AuditReport is the result of verifying the log.
type AuditReport struct {
	OK       bool           `json:"ok"`
	Checked  int64          `json:"checked"`
	Head     AuditHead      `json:"head"`
	Problems []AuditProblem `json:"problems,omitempty"`
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	// Entity selects one entity's history ("incident/12"); "" for all.
	Entity string
	// AfterSeq returns entries after this sequence number.
	AfterSeq int64
	Limit    int
}
