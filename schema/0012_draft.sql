-- 0012: one unsaved form per user (core/draft.c).  When a connection
-- drops or a session times out mid-form, the interface keeps what was
-- typed here, and the user's next login offers to resume it.  The body is
-- the interface's own serialization (tui/draft.c); it may hold personal
-- data the user typed (an ID number), so it is scoped to its user, never
-- written to the log, and deleted once the form is saved or discarded.

CREATE TABLE draft (
	user_id   INTEGER PRIMARY KEY REFERENCES user(id),
	form      TEXT NOT NULL,
	body      TEXT NOT NULL,
	saved_ms  INTEGER NOT NULL,
	seq       INTEGER NOT NULL
) STRICT;
