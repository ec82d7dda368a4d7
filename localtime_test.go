package arv_test

import (
	"testing"
	"time"

	"github.com/arv-project/arv"
)

func TestFinancialYearStartIsLondonMidnight(t *testing.T) {
	// 1 April is always in British Summer Time (BST begins on the last
	// Sunday of March), so the year starts at 23:00 UTC on 31 March.
	got := arv.FinancialYearStart(2026).UTC()
	want := time.Date(2026, time.March, 31, 23, 0, 0, 0, time.UTC)
	if !got.Equal(want) {
		t.Fatalf("FinancialYearStart(2026) = %s UTC, want %s", got, want)
	}
}

func TestLocalAcrossClockChanges(t *testing.T) {
	for _, c := range []struct {
		utc  time.Time
		want string
	}{
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), "2026-03-29 00:59 GMT"},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), "2026-03-29 02:00 BST"},
		{time.Date(2026, 10, 25, 0, 59, 0, 0, time.UTC), "2026-10-25 01:59 BST"},
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), "2026-10-25 01:00 GMT"},
	} {
		if got := arv.Local(c.utc).Format("2006-01-02 15:04 MST"); got != c.want {
			t.Errorf("Local(%s) = %s, want %s", c.utc.Format(time.RFC3339), got, c.want)
		}
	}
}

func TestFinancialYearOf(t *testing.T) {
	for _, c := range []struct {
		utc  time.Time
		want int
	}{
		{time.Date(2026, 3, 31, 22, 59, 0, 0, time.UTC), 2025}, // 23:59 BST on 31 March
		{time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC), 2026}, // 00:30 BST on 1 April
		{time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC), 2026},
	} {
		if got := arv.FinancialYearOf(c.utc); got != c.want {
			t.Errorf("FinancialYearOf(%s) = %d, want %d", c.utc.Format(time.RFC3339), got, c.want)
		}
	}
}
