-- Operations server schema (issue 6). Times are text, UTC, microseconds
-- (arv.AuditTimeFormat); dates YYYY-MM-DD; booleans 0/1.
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	created_at TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE officers (
	id INTEGER PRIMARY KEY,
	collar TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	rank TEXT NOT NULL,
	team INTEGER NOT NULL,
	created_at TEXT NOT NULL
);
CREATE TABLE accreditations (
	id INTEGER PRIMARY KEY,
	officer_id INTEGER NOT NULL REFERENCES officers(id),
	kind TEXT NOT NULL,
	issued TEXT NOT NULL,
	expires TEXT NOT NULL,
	revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX accreditations_officer ON accreditations(officer_id);
CREATE TABLE fitness_tests (
	id INTEGER PRIMARY KEY,
	officer_id INTEGER NOT NULL REFERENCES officers(id),
	taken TEXT NOT NULL,
	passed INTEGER NOT NULL,
	note TEXT NOT NULL
);
CREATE INDEX fitness_officer ON fitness_tests(officer_id);
CREATE TABLE incidents (
	id INTEGER PRIMARY KEY,
	call_at TEXT NOT NULL,
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	address TEXT NOT NULL,
	description TEXT NOT NULL,
	indicators TEXT NOT NULL,
	class TEXT NOT NULL,
	target_minutes REAL NOT NULL,
	status TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	decision_at TEXT,
	authorised_at TEXT,
	ratify_due TEXT,
	ratified_at TEXT,
	self_deployed INTEGER NOT NULL DEFAULT 0,
	dispatched_at TEXT,
	arrived_at TEXT,
	stood_down_at TEXT,
	stand_down_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incidents_call ON incidents(call_at);
CREATE INDEX incidents_status ON incidents(status);
CREATE TABLE units (
	id INTEGER PRIMARY KEY,
	call_sign TEXT NOT NULL UNIQUE,
	base TEXT NOT NULL,
	status TEXT NOT NULL,
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	position_at TEXT NOT NULL,
	incident_id INTEGER REFERENCES incidents(id)
);
CREATE TABLE shifts (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	starts_at TEXT NOT NULL,
	ends_at TEXT NOT NULL
);
CREATE INDEX shifts_start ON shifts(starts_at);
CREATE INDEX shifts_end ON shifts(ends_at);
CREATE TABLE shift_crews (
	shift_id INTEGER NOT NULL REFERENCES shifts(id),
	unit_id INTEGER NOT NULL REFERENCES units(id),
	officer_id INTEGER NOT NULL REFERENCES officers(id),
	PRIMARY KEY (shift_id, officer_id)
);
CREATE INDEX shift_crews_officer ON shift_crews(officer_id);
CREATE TABLE decisions (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	kind TEXT NOT NULL,
	at TEXT NOT NULL,
	by_user TEXT NOT NULL,
	role TEXT NOT NULL,
	authorised INTEGER NOT NULL,
	retrospective INTEGER NOT NULL,
	limb TEXT NOT NULL,
	ndm TEXT NOT NULL,
	tactics TEXT NOT NULL,
	rationale TEXT NOT NULL,
	unit_id INTEGER REFERENCES units(id)
);
CREATE INDEX decisions_incident ON decisions(incident_id);
CREATE TABLE assignments (
	id INTEGER PRIMARY KEY,
	incident_id INTEGER NOT NULL REFERENCES incidents(id),
	unit_id INTEGER NOT NULL REFERENCES units(id),
	assigned_at TEXT NOT NULL,
	assigned_by TEXT NOT NULL,
	eta_seconds REAL,
	arrived_at TEXT,
	released_at TEXT,
	release_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX assignments_incident ON assignments(incident_id);
CREATE TABLE patrol_plans (
	id INTEGER PRIMARY KEY,
	site TEXT NOT NULL UNIQUE,
	lat REAL NOT NULL,
	lon REAL NOT NULL,
	start TEXT NOT NULL,
	hours_per_day REAL NOT NULL,
	check_in_minutes INTEGER NOT NULL
);
CREATE TABLE check_ins (
	id INTEGER PRIMARY KEY,
	plan_id INTEGER NOT NULL REFERENCES patrol_plans(id),
	unit_id INTEGER REFERENCES units(id),
	at TEXT NOT NULL,
	by_user TEXT NOT NULL
);
CREATE INDEX check_ins_plan ON check_ins(plan_id);
CREATE TABLE audit (
	seq INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	entity TEXT NOT NULL,
	before_json TEXT NOT NULL,
	after_json TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity);
CREATE TABLE audit_head (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	seq INTEGER NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
