-- 0017: witnesses (core/cosig.c, core/logkey.c; audit-log.md 2.6, 2.12,
-- 2.13; docs/audit-notes.md).
--
-- witness_key: the witness keys registered here, each by an audited act
-- (ACT_WITNESS_KEY, entry seq).  They decide which cosignatures the host
-- keeps and go into the audit bundle as information; an auditor checks
-- cosignatures against the keys they bring, never against this table.
CREATE TABLE witness_key (
	id        INTEGER PRIMARY KEY,
	name      TEXT NOT NULL,
	pk        BLOB NOT NULL CHECK (length(pk) = 32),
	vkey      TEXT NOT NULL,
	added_by  TEXT NOT NULL,
	added_ms  INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	UNIQUE (name, pk)
) STRICT;

-- witness_cosig: C2SP tlog-cosignature v1 lines (without their LF) that
-- witnesses returned for a stored checkpoint.  A cosignature authenticates
-- itself, so storing one is not a log entry (docs/SECURITY.md).
CREATE TABLE witness_cosig (
	size          INTEGER NOT NULL REFERENCES log_checkpoint(size),
	witness       INTEGER NOT NULL REFERENCES witness_key(id),
	time          INTEGER NOT NULL, -- the witness's timestamp (seconds)
	line          TEXT NOT NULL,
	submitted_by  TEXT NOT NULL,
	stored_ms     INTEGER NOT NULL,
	PRIMARY KEY (size, line)
) STRICT;

CREATE TRIGGER witness_cosig_no_update BEFORE UPDATE ON witness_cosig
BEGIN SELECT RAISE(ABORT, 'cosignatures are append-only'); END;
CREATE TRIGGER witness_cosig_no_delete BEFORE DELETE ON witness_cosig
BEGIN SELECT RAISE(ABORT, 'cosignatures are append-only'); END;

-- The log-key entries (entry 0 and every rotation): core_open compares
-- the key file with the newest one, on every open, without a full scan.
CREATE INDEX log_entry_logkey ON log_entry(seq) WHERE act = 110;

-- The log key in force since the last rotation (no row before the first).
-- A session process that opened the data directory before a rotation
-- still holds the old key; this tripwire refuses its next entry instead
-- of letting it sign with a retired key.  Not security (whoever writes
-- the file can drop it): the verifier is.
CREATE TABLE log_key_current (
	id      INTEGER PRIMARY KEY CHECK (id = 1),
	key_id  BLOB NOT NULL CHECK (length(key_id) = 32),
	seq     INTEGER NOT NULL
) STRICT;

CREATE TRIGGER log_entry_current_key BEFORE INSERT ON log_entry
WHEN EXISTS (SELECT 1 FROM log_key_current)
	AND instr(NEW.entry, (SELECT key_id FROM log_key_current
			      WHERE id = 1)) = 0
BEGIN SELECT RAISE(ABORT, 'the log key was rotated: reopen'); END;
