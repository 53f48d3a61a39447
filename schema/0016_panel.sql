-- 0016: expert evaluation (core/panel.c).  A panel is the county or
-- department expert group (level 'local', owned by the holder that created
-- it) or the city committee (level 'city', owned by city HR).  Its score
-- sheet (criteria), result rule, pass mark and quorum are configured per
-- panel (the notice leaves them open, I-16; docs/panel-notes.md).  Scores
-- and thresholds are stored in tenths (85.5 -> 855) so no float is ever
-- compared.  Every row carries the seq of the log entry that made it.

CREATE TABLE panel (
	id            INTEGER PRIMARY KEY,
	round_id      INTEGER NOT NULL REFERENCES round(id),
	name          TEXT NOT NULL,
	level         TEXT NOT NULL CHECK (level IN ('local', 'city')),
	owner_unit    TEXT NOT NULL REFERENCES unit(code),
	rule          TEXT NOT NULL CHECK (rule IN ('mean', 'majority')),
	threshold_x10 INTEGER NOT NULL CHECK (threshold_x10 >= 0),
	quorum        INTEGER NOT NULL CHECK (quorum BETWEEN 1 AND 99),
	created_by    INTEGER NOT NULL REFERENCES user(id),
	created_ms    INTEGER NOT NULL,
	seq           INTEGER NOT NULL,
	UNIQUE (round_id, name)
) STRICT;

-- The score sheet, in the order experts see it.
CREATE TABLE panel_criterion (
	panel_id  INTEGER NOT NULL REFERENCES panel(id),
	pos       INTEGER NOT NULL,
	name      TEXT NOT NULL,
	label     TEXT NOT NULL,
	max_x10   INTEGER NOT NULL CHECK (max_x10 BETWEEN 1 AND 10000),
	PRIMARY KEY (panel_id, pos),
	UNIQUE (panel_id, name)
) STRICT;

CREATE TABLE panel_member (
	panel_id  INTEGER NOT NULL REFERENCES panel(id),
	expert_id INTEGER NOT NULL REFERENCES user(id),
	added_by  INTEGER NOT NULL REFERENCES user(id),
	added_ms  INTEGER NOT NULL,
	seq       INTEGER NOT NULL,
	PRIMARY KEY (panel_id, expert_id)
) STRICT;

-- One row per (panel, nominee, member) once the nominee is assigned:
-- 'recused' automatically (unit or an earlier declared conflict; reason
-- says which), else 'assigned' -> 'declared' (the no-conflict declaration
-- is signed) -> 'scored', or 'conflict' (the expert declared one).
CREATE TABLE panel_assignment (
	panel_id    INTEGER NOT NULL REFERENCES panel(id),
	nominee_id  INTEGER NOT NULL REFERENCES nominee(id),
	expert_id   INTEGER NOT NULL REFERENCES user(id),
	status      TEXT NOT NULL CHECK (status IN ('recused', 'assigned',
	            'declared', 'scored', 'conflict')),
	reason      TEXT NOT NULL DEFAULT '',
	assigned_by INTEGER NOT NULL REFERENCES user(id),
	assigned_ms INTEGER NOT NULL,
	declared_ms INTEGER NOT NULL DEFAULT 0,
	scored_ms   INTEGER NOT NULL DEFAULT 0,
	total_x10   INTEGER NOT NULL DEFAULT 0,
	opinion     TEXT NOT NULL DEFAULT '',
	seq         INTEGER NOT NULL,
	PRIMARY KEY (panel_id, nominee_id, expert_id)
) STRICT;
CREATE INDEX panel_assignment_expert ON panel_assignment(expert_id,
	nominee_id);
CREATE INDEX panel_assignment_nominee ON panel_assignment(nominee_id);

CREATE TABLE panel_score (
	panel_id    INTEGER NOT NULL,
	nominee_id  INTEGER NOT NULL,
	expert_id   INTEGER NOT NULL,
	criterion   TEXT NOT NULL,
	score_x10   INTEGER NOT NULL CHECK (score_x10 >= 0),
	PRIMARY KEY (panel_id, nominee_id, expert_id, criterion),
	FOREIGN KEY (panel_id, nominee_id, expert_id)
		REFERENCES panel_assignment(panel_id, nominee_id, expert_id),
	FOREIGN KEY (panel_id, criterion)
		REFERENCES panel_criterion(panel_id, name)
) STRICT;

-- Conflicts an expert declared (回避): they recuse the expert from the
-- nominee on every later panel too.
CREATE TABLE expert_conflict (
	expert_id  INTEGER NOT NULL REFERENCES user(id),
	nominee_id INTEGER NOT NULL REFERENCES nominee(id),
	panel_id   INTEGER NOT NULL REFERENCES panel(id),
	reason     TEXT NOT NULL,
	seq        INTEGER NOT NULL,
	PRIMARY KEY (expert_id, nominee_id)
) STRICT;
