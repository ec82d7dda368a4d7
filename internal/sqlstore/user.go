package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/arv-project/arv"
)

// PasswordCost is the argon2id work factor.
type PasswordCost struct {
	// Time is the number of passes, MemoryKiB the memory used, Threads
	// the parallelism.
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// DefaultPasswordCost is OWASP's argon2id recommendation (m=19 MiB, t=2,
// p=1, Password Storage Cheat Sheet).
var DefaultPasswordCost = PasswordCost{Time: 2, MemoryKiB: 19 * 1024, Threads: 1}

func (s *Store) cost() PasswordCost {
	if s.PasswordCost.Time == 0 {
		return DefaultPasswordCost
	}
	return s.PasswordCost
}

// hashPassword returns a PHC-format argon2id hash.
func hashPassword(password string, c PasswordCost) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, c.Time, c.MemoryKiB, c.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.MemoryKiB, c.Time, c.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword reports whether password matches a PHC argon2id hash.
func checkPassword(password, phc string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || t == 0 || p == 0 || m > 1<<22 || t > 100 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is checked against when the username is unknown, so that a
// wrong username takes as long as a wrong password.
var dummyHash, _ = hashPassword("arv-no-such-user", DefaultPasswordCost)

// CreateUser implements arv.UserService.
func (s *Store) CreateUser(ctx context.Context, n arv.NewUser) (*arv.User, error) {
	actor, err := arv.Authorize(ctx, arv.ActionManageUsers)
	if err != nil {
		return nil, err
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	hash, err := hashPassword(n.Password, s.cost())
	if err != nil {
		return nil, err
	}
	var u *arv.User
	err = s.write(ctx, actor, func(t *tx) error {
		if n.OfficerID != 0 {
			if _, err := officerTx(t, n.OfficerID); err != nil {
				return err
			}
		}
		id, err := t.insert(`INSERT INTO users (username, name, role, password_hash, created_at, disabled, officer_id) VALUES (?, ?, ?, ?, ?, 0, ?)`,
			n.Username, n.Name, string(n.Role), hash, ts(t.now), nullID(n.OfficerID))
		if err != nil {
			if isConflict(s, err) {
				return arv.Errorf(arv.ECONFLICT, "Username %q is taken.", n.Username)
			}
			return err
		}
		u = &arv.User{ID: id, Username: n.Username, Name: n.Name, Role: n.Role, Created: t.now, OfficerID: n.OfficerID}
		return t.audit("user.create", fmt.Sprintf("user/%d", id), nil, u)
	})
	return u, err
}

// isConflict reports whether err is a unique-constraint failure.
func isConflict(s *Store, err error) bool {
	return arv.ErrorCode(s.formatError(err)) == arv.ECONFLICT
}

// FindUsers implements arv.UserService.
func (s *Store) FindUsers(ctx context.Context) ([]*arv.User, error) {
	if _, err := arv.Authorize(ctx, arv.ActionManageUsers); err != nil {
		return nil, err
	}
	rows, err := s.query(ctx, `SELECT `+userColumns+` FROM users ORDER BY username`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*arv.User
	for rows.Next() {
		u, _, err := scanUser(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// userColumns are the columns scanUser reads, without the hash.
const userColumns = `id, username, name, role, created_at, disabled, COALESCE(officer_id, 0)`

func scanUser(sc interface{ Scan(...any) error }, withHash bool) (*arv.User, string, error) {
	var u arv.User
	var created, hash string
	var role string
	var disabled int
	dst := []any{&u.ID, &u.Username, &u.Name, &role, &created, &disabled, &u.OfficerID}
	if withHash {
		dst = append(dst, &hash)
	}
	if err := sc.Scan(dst...); err != nil {
		return nil, "", err
	}
	u.Role = arv.Role(role)
	u.Disabled = disabled != 0
	var err error
	u.Created, err = parseTS(created)
	return &u, hash, err
}

// Authenticate implements arv.UserService.
func (s *Store) Authenticate(ctx context.Context, username, password string) (*arv.User, error) {
	bad := arv.Errorf(arv.EUNAUTHORIZED, "Wrong username or password.")
	if len(username) > 64 || len(password) > 256 {
		checkPassword(password, dummyHash)
		return nil, bad
	}
	u, hash, err := scanUser(s.queryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE username = ?`, username), true)
	if errors.Is(err, sql.ErrNoRows) {
		checkPassword(password, dummyHash)
		return nil, bad
	} else if err != nil {
		return nil, err
	}
	if !checkPassword(password, hash) || u.Disabled {
		return nil, bad
	}
	return u, nil
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateSession implements arv.UserService.
func (s *Store) CreateSession(ctx context.Context, userID int64, ttl time.Duration) (string, string, error) {
	token, err := randomToken()
	if err != nil {
		return "", "", err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", "", err
	}
	err = s.write(ctx, arv.UserFromContext(ctx), func(t *tx) error {
		u, _, err := scanUser(t.QueryRowContext(t.ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID), false)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("User", userID)
		} else if err != nil {
			return err
		}
		t.user = u
		if _, err := t.exec(`DELETE FROM sessions WHERE expires_at < ?`, ts(t.now)); err != nil {
			return err
		}
		if _, err := t.exec(`INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			tokenHash(token), userID, csrf, ts(t.now), ts(t.now.Add(ttl))); err != nil {
			return err
		}
		return t.audit("user.sign_in", fmt.Sprintf("user/%d", userID), nil, map[string]any{"username": u.Username, "expires": t.now.Add(ttl)})
	})
	if err != nil {
		return "", "", err
	}
	return token, csrf, nil
}

// FindSession implements arv.UserService.
func (s *Store) FindSession(ctx context.Context, token string) (*arv.User, string, error) {
	var csrf, expires string
	row := s.queryRow(ctx, `SELECT u.id, u.username, u.name, u.role, u.created_at, u.disabled, COALESCE(u.officer_id, 0), s.csrf, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash(token))
	var u arv.User
	var created, role string
	var disabled int
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &created, &disabled, &u.OfficerID, &csrf, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", arv.Errorf(arv.EUNAUTHORIZED, "Your session has ended; sign in again.")
	} else if err != nil {
		return nil, "", err
	}
	exp, err := parseTS(expires)
	if err != nil {
		return nil, "", err
	}
	if !s.now().Before(exp) || disabled != 0 {
		return nil, "", arv.Errorf(arv.EUNAUTHORIZED, "Your session has ended; sign in again.")
	}
	u.Role = arv.Role(role)
	if u.Created, err = parseTS(created); err != nil {
		return nil, "", err
	}
	return &u, csrf, nil
}

// DeleteSession implements arv.UserService.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.write(ctx, arv.UserFromContext(ctx), func(t *tx) error {
		res, err := t.exec(`DELETE FROM sessions WHERE token_hash = ?`, tokenHash(token))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || t.user == nil {
			return nil
		}
		return t.audit("user.sign_out", fmt.Sprintf("user/%d", t.user.ID), nil, map[string]any{"username": t.user.Username})
	})
}

// SetPassword implements arv.UserService. The command line (arv user
// password) and the demo's seeding call it as arv.SystemUser.
func (s *Store) SetPassword(ctx context.Context, username, password string) error {
	if _, err := arv.Authorize(ctx, arv.ActionManageUsers); err != nil {
		return err
	}
	if len(password) < arv.MinPasswordLength || len(password) > 256 {
		return arv.Errorf(arv.EINVALID, "Password must be %d to 256 characters.", arv.MinPasswordLength)
	}
	hash, err := hashPassword(password, s.cost())
	if err != nil {
		return err
	}
	return s.write(ctx, arv.UserFromContext(ctx), func(t *tx) error {
		var id int64
		if err := t.QueryRowContext(t.ctx, `SELECT id FROM users WHERE username = ?`, username).Scan(&id); errors.Is(err, sql.ErrNoRows) {
			return arv.Errorf(arv.ENOTFOUND, "No user %q.", username)
		} else if err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE users SET password_hash = ? WHERE id = ?`, hash, id); err != nil {
			return err
		}
		if _, err := t.exec(`DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return t.audit("user.password", fmt.Sprintf("user/%d", id), nil, map[string]any{"username": username})
	})
}
