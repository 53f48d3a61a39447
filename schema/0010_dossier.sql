-- 0010: the full dossier of the registration form and the technical
-- report (domain.md 1.7, 8).  Scalar fields live on the nominee row;
-- conditions, dated items and materials in their own tables.  Every change
-- bumps nominee.version and its digest (core/dossier.c).

ALTER TABLE nominee ADD COLUMN id_number TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN birth_precision TEXT NOT NULL DEFAULT 'day'
	CHECK (birth_precision IN ('day', 'month'));
ALTER TABLE nominee ADD COLUMN education TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN degree TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN title_level TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN title_date TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN system TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN prior_leader TEXT NOT NULL DEFAULT '无';
ALTER TABLE nominee ADD COLUMN specialty TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE nominee ADD COLUMN quota_category TEXT NOT NULL DEFAULT '';

CREATE INDEX nominee_id_number ON nominee(id_number);

CREATE TABLE nominee_condition (
	nominee_id  INTEGER NOT NULL REFERENCES nominee(id),
	cond        INTEGER NOT NULL CHECK (cond BETWEEN 1 AND 9),
	evidence    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (nominee_id, cond)
) STRICT;

-- Work history, research output, performance: each dated.
CREATE TABLE nominee_item (
	id          INTEGER PRIMARY KEY,
	nominee_id  INTEGER NOT NULL REFERENCES nominee(id),
	kind        TEXT NOT NULL CHECK (kind IN ('work', 'research',
	            'performance')),
	date_from   TEXT NOT NULL,
	date_to     TEXT NOT NULL DEFAULT '',
	title       TEXT NOT NULL,
	detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX nominee_item_nominee ON nominee_item(nominee_id);

-- The materials checklist: what was received, how many copies, originals
-- sighted (and returned) by whom; electronic copies by SHA-256.
CREATE TABLE nominee_material (
	nominee_id  INTEGER NOT NULL REFERENCES nominee(id),
	kind        TEXT NOT NULL,
	copies      INTEGER NOT NULL DEFAULT 0,
	original_sighted INTEGER NOT NULL DEFAULT 0,
	sha256      BLOB,
	size        INTEGER NOT NULL DEFAULT 0,
	note        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (nominee_id, kind)
) STRICT;
