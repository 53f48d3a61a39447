-- 0001: units, users, the round, nominees and the audit log.
-- Every mutable row carries the seq of the log entry that last changed it.

CREATE TABLE unit (
	code     TEXT PRIMARY KEY,
	name     TEXT NOT NULL,
	kind     TEXT NOT NULL CHECK (kind IN ('city', 'bureau', 'county',
	         'zone', 'department', 'channel', 'stationed', 'employer')),
	parent   TEXT REFERENCES unit(code),
	system   TEXT NOT NULL DEFAULT '',
	seq      INTEGER
) STRICT;
CREATE INDEX unit_parent ON unit(parent);

CREATE TABLE user (
	id           INTEGER PRIMARY KEY,
	login        TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL CHECK (role IN ('applicant', 'unit_clerk',
	             'county_hr', 'department', 'expert', 'city_hr', 'auditor',
	             'admin')),
	unit         TEXT NOT NULL REFERENCES unit(code),
	lang         TEXT NOT NULL DEFAULT 'zh_CN' CHECK (lang IN ('zh_CN', 'en')),
	pwhash       TEXT,
	failed       INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	created_ms   INTEGER NOT NULL,
	seq          INTEGER
) STRICT;

CREATE TABLE round (
	id          INTEGER PRIMARY KEY,
	code        TEXT NOT NULL UNIQUE,
	year        INTEGER NOT NULL,
	batch       INTEGER NOT NULL,
	title       TEXT NOT NULL,
	target      INTEGER NOT NULL,
	deadline    TEXT NOT NULL,
	current     INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE nominee (
	id          INTEGER PRIMARY KEY,
	round_id    INTEGER NOT NULL REFERENCES round(id),
	unit        TEXT NOT NULL REFERENCES unit(code),
	name        TEXT NOT NULL,
	gender      TEXT NOT NULL CHECK (gender IN ('男', '女')),
	birth_date  TEXT NOT NULL,
	title       TEXT NOT NULL,
	state       TEXT NOT NULL DEFAULT 'draft',
	version     INTEGER NOT NULL DEFAULT 1,
	salt        BLOB NOT NULL,
	digest      BLOB NOT NULL,
	created_by  INTEGER REFERENCES user(id),
	created_ms  INTEGER NOT NULL,
	seq         INTEGER NOT NULL
) STRICT;
CREATE INDEX nominee_unit ON nominee(unit);

-- The log: entry holds the exact canonical bytes (keys/stmt.c); leaf is
-- their RFC 6962 leaf hash; act/actor/subject/time are indexes that the
-- auditor re-derives from the bytes.
CREATE TABLE log_entry (
	seq      INTEGER PRIMARY KEY,
	entry    BLOB NOT NULL,
	leaf     BLOB NOT NULL,
	act      INTEGER NOT NULL,
	actor    TEXT NOT NULL,
	subject  TEXT NOT NULL,
	time_ms  INTEGER NOT NULL
) STRICT;
CREATE INDEX log_entry_subject ON log_entry(subject);
CREATE INDEX log_entry_actor ON log_entry(actor);

CREATE TABLE log_checkpoint (
	size  INTEGER PRIMARY KEY,
	note  TEXT NOT NULL
) STRICT;

-- The right frontier of the tree after the last entry (one row).
CREATE TABLE log_state (
	id        INTEGER PRIMARY KEY CHECK (id = 1),
	frontier  BLOB NOT NULL
) STRICT;

-- Tripwires against mistakes, not security (whoever can write the file
-- can drop them; the Merkle tree and checkpoints are the security).
CREATE TRIGGER log_entry_no_update BEFORE UPDATE ON log_entry
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_entry_no_delete BEFORE DELETE ON log_entry
BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END;
CREATE TRIGGER log_checkpoint_no_update BEFORE UPDATE ON log_checkpoint
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;
CREATE TRIGGER log_checkpoint_no_delete BEFORE DELETE ON log_checkpoint
BEGIN SELECT RAISE(ABORT, 'checkpoints are append-only'); END;

-- Settings of this deployment (the log's origin line, ...).
CREATE TABLE meta (
	key    TEXT PRIMARY KEY,
	value  TEXT NOT NULL
) STRICT;
