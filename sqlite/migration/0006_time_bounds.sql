-- Late entries and roster amendments (issue 12, "Local time"): an
-- incident whose call time is more than the late-entry allowance before
-- its record was created keeps the reason given; a change to a shift
-- that had already ended keeps who changed what, when and why.
CREATE TABLE late_entries (
	incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
	reason TEXT NOT NULL,
	recorded_at TEXT NOT NULL,
	late_seconds INTEGER NOT NULL
);
CREATE TABLE roster_amendments (
	id INTEGER PRIMARY KEY,
	shift_id INTEGER NOT NULL REFERENCES shifts(id),
	at TEXT NOT NULL,
	by_user TEXT NOT NULL,
	action TEXT NOT NULL,
	officer_id INTEGER,
	reason TEXT NOT NULL
);
CREATE INDEX roster_amendments_shift ON roster_amendments(shift_id);
