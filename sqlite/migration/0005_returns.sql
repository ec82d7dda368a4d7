-- Returns as the Home Office asks and history for planning (issue 12).
-- Officer duty status by London day: available, sick, restricted,
-- suspended; to_day '' is open-ended.
CREATE TABLE officer_duty (
	id INTEGER PRIMARY KEY,
	officer_id INTEGER NOT NULL REFERENCES officers(id),
	status TEXT NOT NULL,
	from_day TEXT NOT NULL,
	to_day TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX officer_duty_officer ON officer_duty(officer_id);
-- Incidents the demo generator made never count; pre-planned operations
-- are told apart for planning.
ALTER TABLE incidents ADD COLUMN demo INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN pre_planned INTEGER NOT NULL DEFAULT 0;
-- Submitted annual returns: the figures frozen as JSON with their
-- SHA-256, one row per version (a resubmission keeps its reason).
CREATE TABLE return_submissions (
	id INTEGER PRIMARY KEY,
	start_year INTEGER NOT NULL,
	version INTEGER NOT NULL,
	figures TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	submitted_by TEXT NOT NULL,
	submitted_at TEXT NOT NULL,
	reason TEXT NOT NULL DEFAULT '',
	UNIQUE (start_year, version)
);
