-- Planning reports made on the server (issue 11): kept so that they
-- survive a restart; the audit row of each holds its SHA-256.
CREATE TABLE plan_reports (
	id INTEGER PRIMARY KEY,
	scenario TEXT NOT NULL,
	created_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	html TEXT NOT NULL
);
