-- 0018: idempotency keys of `nomdesk nominee add --idempotency-key KEY`
-- (core/nominee.c, core_nominee_add_once()).
--
-- A client that lost the receipt of an add retries with the same key and
-- gets the first call's nominee and receipt back instead of a duplicate.
-- A key belongs to the user who used it (two users may pick the same key).
-- The row is written in the transaction that creates the nominee and
-- appends its log entry, so a key never names a nominee that was rolled
-- back, and two retries racing each other serialize on that transaction.
--
-- request: BLAKE2b-256 of the normalized request (unit, name, gender,
-- birth date, title), so the same key with a different request is refused
-- rather than answered with someone else's nominee.
-- seq: the nominee's log entry; the receipt is rebuilt from it and the
-- checkpoint signed when it was committed.
CREATE TABLE idempotency_key (
	actor       INTEGER NOT NULL REFERENCES user(id),
	key         TEXT NOT NULL CHECK (length(key) BETWEEN 8 AND 64),
	request     BLOB NOT NULL CHECK (length(request) = 32),
	nominee_id  INTEGER NOT NULL REFERENCES nominee(id),
	seq         INTEGER NOT NULL,
	created_ms  INTEGER NOT NULL,
	PRIMARY KEY (actor, key)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER idempotency_key_no_update BEFORE UPDATE ON idempotency_key
BEGIN SELECT RAISE(ABORT, 'idempotency keys are never changed'); END;
