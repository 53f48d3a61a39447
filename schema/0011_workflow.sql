-- 0011: workflow state beyond the state name (core/workflow.c): who holds
-- the nomination, where an investigation resumes, when a notice opened,
-- the government's approval document, objections and deadline extensions.

ALTER TABLE nominee ADD COLUMN holder TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN resume_state TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN notice_opened_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nominee ADD COLUMN gov_doc TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN override_reason TEXT NOT NULL DEFAULT '';

CREATE TABLE objection (
	id          INTEGER PRIMARY KEY,
	nominee_id  INTEGER NOT NULL REFERENCES nominee(id),
	notice      TEXT NOT NULL CHECK (notice IN ('local', 'public')),
	text        TEXT NOT NULL,
	recorded_by INTEGER NOT NULL REFERENCES user(id),
	opened_ms   INTEGER NOT NULL,
	outcome     TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('', 'cleared',
	            'upheld', 'vetoed')),
	closed_ms   INTEGER NOT NULL DEFAULT 0,
	seq         INTEGER NOT NULL
) STRICT;
CREATE INDEX objection_nominee ON objection(nominee_id);

-- A late report is refused unless city HR extended the deadline for the
-- holder (a recorded, audited act).
CREATE TABLE deadline_extension (
	holder      TEXT NOT NULL REFERENCES unit(code),
	until_ms    INTEGER NOT NULL,
	reason      TEXT NOT NULL,
	granted_by  INTEGER NOT NULL REFERENCES user(id),
	seq         INTEGER NOT NULL,
	PRIMARY KEY (holder, until_ms)
) STRICT;
