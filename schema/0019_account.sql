-- 0019: accounts without lockout, and a generation the sessions re-check.
-- Five wrong passwords used to lock an account for 15 minutes, which let
-- anyone lock out a clerk whose login is guessable; the SSH server now
-- slows failures by source (ssh/penalty.c) and the counters go.
-- gen moves whenever what a session was admitted on changes (role, unit,
-- password, disabled), so a running session notices before its next act.
ALTER TABLE user DROP COLUMN failed;
ALTER TABLE user DROP COLUMN locked_until;
ALTER TABLE user ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0
	CHECK (disabled IN (0, 1));
ALTER TABLE user ADD COLUMN gen INTEGER NOT NULL DEFAULT 1;

CREATE TRIGGER user_gen AFTER UPDATE OF role, unit, pwhash, disabled ON user
WHEN OLD.role IS NOT NEW.role OR OLD.unit IS NOT NEW.unit
  OR OLD.pwhash IS NOT NEW.pwhash OR OLD.disabled IS NOT NEW.disabled
BEGIN
	UPDATE user SET gen = gen + 1 WHERE id = NEW.id;
END;
