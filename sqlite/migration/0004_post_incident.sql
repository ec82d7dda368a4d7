-- After a discharge (issue 12): discharges, the post-incident procedure
-- (manager, key police witnesses, IOPC referral), debriefs, the sign-off
-- of the deployment log and amendments after it. Times are text, UTC,
-- microseconds (arv.AuditTimeFormat); booleans 0/1.
CREATE TABLE discharges (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	officer_id INTEGER NOT NULL REFERENCES officers(id),
	at TEXT NOT NULL,
	weapon TEXT NOT NULL,
	rounds INTEGER NOT NULL,
	at_person INTEGER NOT NULL,
	injury TEXT NOT NULL,
	circumstances TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX discharges_incident ON discharges(incident_id);
CREATE TABLE post_incidents (
	incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
	opened_at TEXT NOT NULL,
	discharge_id INTEGER NOT NULL REFERENCES discharges(id),
	manager_id INTEGER REFERENCES officers(id),
	referral_due TEXT NOT NULL,
	iopc_at TEXT,
	iopc_reference TEXT NOT NULL DEFAULT '',
	iopc_by TEXT NOT NULL DEFAULT '',
	iopc_recorded_by TEXT NOT NULL DEFAULT '',
	iopc_recorded_at TEXT
);
CREATE TABLE key_witnesses (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	officer_id INTEGER NOT NULL REFERENCES officers(id),
	note TEXT NOT NULL,
	added_at TEXT NOT NULL,
	added_by TEXT NOT NULL,
	UNIQUE (incident_id, officer_id)
);
CREATE TABLE debriefs (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	at TEXT NOT NULL,
	led_by TEXT NOT NULL,
	notes TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX debriefs_incident ON debriefs(incident_id);
CREATE TABLE sign_offs (
	incident_id INTEGER PRIMARY KEY REFERENCES incidents(id),
	at TEXT NOT NULL,
	by_user TEXT NOT NULL,
	role TEXT NOT NULL,
	note TEXT NOT NULL
);
CREATE TABLE amendments (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	at TEXT NOT NULL,
	by_user TEXT NOT NULL,
	corrects TEXT NOT NULL,
	text TEXT NOT NULL
);
CREATE INDEX amendments_incident ON amendments(incident_id);
