-- Late entries and roster amendments (issue 12, "Local time"): an
-- incident whose call time is more than the late-entry allowance before
-- its record was created keeps the reason given; a change to a shift
-- that had already ended keeps who changed what, when and why.
CREATE TABLE late_entries (
	incident_id BIGINT PRIMARY KEY REFERENCES incidents(id),
	reason TEXT NOT NULL,
	recorded_at TEXT COLLATE "C" NOT NULL,
	late_seconds BIGINT NOT NULL
);
CREATE TABLE roster_amendments (
	id BIGSERIAL PRIMARY KEY,
	shift_id BIGINT NOT NULL REFERENCES shifts(id),
	at TEXT COLLATE "C" NOT NULL,
	by_user TEXT NOT NULL,
	action TEXT COLLATE "C" NOT NULL,
	officer_id BIGINT,
	reason TEXT NOT NULL
);
CREATE INDEX roster_amendments_shift ON roster_amendments(shift_id);
