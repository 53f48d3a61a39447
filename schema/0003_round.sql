-- 0003: rounds as data (core/round.c, rounds/*.json).  A loaded round
-- keeps its canonical definition (config; the log entry of the load
-- carries its SHA-256) and these columns and tables, a projection for
-- SQL.  Nothing here changes once loaded: a new reading is a new round.

ALTER TABLE round ADD COLUMN config TEXT;
ALTER TABLE round ADD COLUMN config_sha256 TEXT;
ALTER TABLE round ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE round ADD COLUMN receiver TEXT;
ALTER TABLE round ADD COLUMN age_limit INTEGER;
ALTER TABLE round ADD COLUMN age_inclusive INTEGER;
ALTER TABLE round ADD COLUMN age_ref_date TEXT;
ALTER TABLE round ADD COLUMN title_min_level TEXT;
ALTER TABLE round ADD COLUMN title_counts TEXT;
ALTER TABLE round ADD COLUMN window_years INTEGER;
ALTER TABLE round ADD COLUMN window_ref_date TEXT;
ALTER TABLE round ADD COLUMN seq INTEGER;

-- Quota categories; relax lists the rules the category may relax
-- (title age conditions).
CREATE TABLE round_category (
	round_id INTEGER NOT NULL REFERENCES round(id),
	key      TEXT NOT NULL,
	ord      INTEGER NOT NULL,
	name_zh  TEXT NOT NULL,
	name_en  TEXT NOT NULL,
	relax    TEXT NOT NULL,
	PRIMARY KEY (round_id, key)
) STRICT;

CREATE TABLE round_condition (
	round_id INTEGER NOT NULL REFERENCES round(id),
	no       INTEGER NOT NULL,
	text_zh  TEXT NOT NULL,
	text_en  TEXT NOT NULL,
	evidence TEXT NOT NULL CHECK (evidence IN ('documentary',
	         'judgement')),
	PRIMARY KEY (round_id, no)
) STRICT;

-- Notice periods per tier; days NULL = not stated by the notice.
CREATE TABLE round_notice (
	round_id INTEGER NOT NULL REFERENCES round(id),
	tier     TEXT NOT NULL CHECK (tier IN ('county', 'department',
	         'city')),
	days     INTEGER,
	day_type TEXT NOT NULL CHECK (day_type IN ('', 'calendar',
	         'working')),
	PRIMARY KEY (round_id, tier)
) STRICT;

-- The materials checklist; copies NULL = not stated.
CREATE TABLE round_material (
	round_id   INTEGER NOT NULL REFERENCES round(id),
	key        TEXT NOT NULL,
	ord        INTEGER NOT NULL,
	name_zh    TEXT NOT NULL,
	name_en    TEXT NOT NULL,
	copies     INTEGER,
	electronic INTEGER NOT NULL,
	originals  INTEGER NOT NULL,
	required   INTEGER NOT NULL,
	PRIMARY KEY (round_id, key)
) STRICT;

CREATE TRIGGER round_config_fixed BEFORE UPDATE ON round
WHEN OLD.config IS NOT NULL AND (NEW.config IS NOT OLD.config OR
	NEW.target IS NOT OLD.target OR NEW.deadline IS NOT OLD.deadline)
BEGIN SELECT RAISE(ABORT, 'a loaded round does not change'); END;
