-- Who may decide and the command log (issue 12): users linked to
-- officers, the decider's officer on each decision, each taking of
-- command, the tactical advisers consulted and the SFC's strategy
-- revisions. Times are text, UTC (arv.AuditTimeFormat).
ALTER TABLE users ADD COLUMN officer_id INTEGER REFERENCES officers(id);
ALTER TABLE decisions ADD COLUMN officer_id INTEGER REFERENCES officers(id);
CREATE TABLE command_entries (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	at TEXT NOT NULL,
	level TEXT NOT NULL,
	commander TEXT NOT NULL,
	officer_id INTEGER REFERENCES officers(id),
	from_commander TEXT NOT NULL,
	from_level TEXT NOT NULL,
	note TEXT NOT NULL
);
CREATE INDEX command_entries_incident ON command_entries(incident_id);
CREATE TABLE tactical_advice (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	consulted_at TEXT NOT NULL,
	adviser TEXT NOT NULL,
	adviser_officer_id INTEGER REFERENCES officers(id),
	advice TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX tactical_advice_incident ON tactical_advice(incident_id);
CREATE TABLE strategy_revisions (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	revision INTEGER NOT NULL,
	at TEXT NOT NULL,
	by_user TEXT NOT NULL,
	officer_id INTEGER REFERENCES officers(id),
	strategy TEXT NOT NULL,
	parameters TEXT NOT NULL,
	UNIQUE (incident_id, revision)
);
