package arv

import "crypto/rand"

// NewPassword returns a random password for a user who is given one
// (arv user add or password without one on stdin, the demo users): 16
// characters, above MinPasswordLength, from an alphabet of 55 letters
// and digits without look-alikes such as l, 1, I, O and 0 (about 92 bits).
func NewPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	out := make([]byte, 0, 16)
	var b [32]byte
	for len(out) < 16 {
		rand.Read(b[:])
		for _, c := range b {
			// Reject the bytes past the largest multiple of the alphabet,
			// so every character is equally likely.
			if int(c) < 256-256%len(alphabet) && len(out) < 16 {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}
