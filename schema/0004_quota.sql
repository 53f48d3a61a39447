-- 0004: the quota tree of each round exactly as its notice states it
-- (core/round.c stores it, core/quota.c counts against it).  qlimit NULL:
-- no figure of its own (uncapped, or a share of the parent's pool);
-- reserved NULL: the notice does not say whether these are seats.

CREATE TABLE quota_node (
	round_id      INTEGER NOT NULL REFERENCES round(id),
	code          TEXT NOT NULL,
	parent        TEXT,
	ord           INTEGER NOT NULL,
	category      TEXT NOT NULL,
	name_zh       TEXT NOT NULL,
	name_en       TEXT NOT NULL,
	qlimit        INTEGER,
	uncapped      INTEGER NOT NULL,
	reserved      INTEGER,
	enforce       INTEGER NOT NULL,
	justification INTEGER NOT NULL,
	any_holder    INTEGER NOT NULL,
	channel       TEXT NOT NULL,
	PRIMARY KEY (round_id, code),
	FOREIGN KEY (round_id, parent) REFERENCES quota_node(round_id, code),
	FOREIGN KEY (round_id, category)
		REFERENCES round_category(round_id, key)
) STRICT;

-- The units that report under a leaf (a leaf's limit is shared by them).
CREATE TABLE quota_holder (
	round_id INTEGER NOT NULL,
	node     TEXT NOT NULL,
	unit     TEXT NOT NULL REFERENCES unit(code),
	PRIMARY KEY (round_id, node, unit),
	FOREIGN KEY (round_id, node) REFERENCES quota_node(round_id, code)
) STRICT;
CREATE INDEX quota_holder_unit ON quota_holder(unit);

CREATE TRIGGER quota_node_fixed BEFORE UPDATE ON quota_node
BEGIN SELECT RAISE(ABORT, 'a loaded round does not change'); END;
CREATE TRIGGER quota_node_kept BEFORE DELETE ON quota_node
BEGIN SELECT RAISE(ABORT, 'a loaded round does not change'); END;
CREATE TRIGGER quota_holder_fixed BEFORE UPDATE ON quota_holder
BEGIN SELECT RAISE(ABORT, 'a loaded round does not change'); END;
CREATE TRIGGER quota_holder_kept BEFORE DELETE ON quota_holder
BEGIN SELECT RAISE(ABORT, 'a loaded round does not change'); END;
