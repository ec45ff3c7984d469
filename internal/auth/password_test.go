package auth

import (
	"strings"
	"testing"
)

var fast = Params{Memory: 1024, Time: 1, Threads: 1}

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not PHC argon2id", h)
	}
	if !CheckPassword("correct horse battery", h) {
		t.Error("right password refused")
	}
	if CheckPassword("correct horse batterz", h) {
		t.Error("wrong password accepted")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA"} {
		if CheckPassword("x", bad) {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
	if _, err := HashPassword("short", fast); err == nil {
		t.Error("a 5-character password was accepted")
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken("msk_"), NewToken("msk_")
	if a == b || !strings.HasPrefix(a, "msk_") || len(a) < 40 {
		t.Errorf("tokens %q %q", a, b)
	}
	if HashToken(a) == a || len(HashToken(a)) != 64 {
		t.Error("token hash")
	}
}
