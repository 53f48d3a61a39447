-- 0014: personal signing keys, the one-vote veto and the dishonesty
-- register (issue #4; core/signing.c, core/veto.c).
--
-- user_key is an index of the key registry: the registry itself is the log
-- (ACT_KEY_ENROLL/ROTATE/REVOKE entries carry the public keys and are
-- signed by them), and every signature is judged against the registry as
-- replayed from the log at the signature's sequence number.  record holds
-- the sealed key (keys/userkey.c: nomdesk/keyfile/v1), never a secret in
-- the clear.  Kept apart from the domain tables the DBA routinely edits.

CREATE TABLE user_key (
	key_id       BLOB PRIMARY KEY CHECK (length(key_id) = 32),
	user_id      INTEGER NOT NULL REFERENCES user(id),
	public_key   BLOB NOT NULL CHECK (length(public_key) = 32),
	record       BLOB NOT NULL,
	state        TEXT NOT NULL CHECK (state IN ('active', 'rotated',
	             'revoked')),
	enrolled_seq INTEGER NOT NULL,        -- entry that registered the key
	ended_seq    INTEGER NOT NULL DEFAULT -1, -- rotation or revocation
	created_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX user_key_user ON user_key(user_id);
-- At most one active key per person.
CREATE UNIQUE INDEX user_key_one_active ON user_key(user_id)
	WHERE state = 'active';

-- Failed unlocks of a signing key, per person: 5 in a row lock unlocking
-- for 15 minutes (each failure is also an ACT_SESSION entry).
CREATE TABLE user_key_unlock (
	user_id      INTEGER PRIMARY KEY REFERENCES user(id),
	failed       INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The applicant's own account, for the electronic pledge (action
-- `pledge`): set by the unit's clerk, audited.
ALTER TABLE nominee ADD COLUMN applicant_user INTEGER REFERENCES user(id);

-- One veto per nominee and round.  digest is the dossier version the veto
-- names (the falsified version); with the two-signature policy the veto
-- is 'pending' until a second city HR or auditor countersigns.
CREATE TABLE veto (
	id           INTEGER PRIMARY KEY,
	nominee_id   INTEGER NOT NULL REFERENCES nominee(id),
	round_id     INTEGER NOT NULL REFERENCES round(id),
	state        TEXT NOT NULL CHECK (state IN ('pending', 'effective',
	             'cancelled')),
	prior_state  TEXT NOT NULL,           -- the state it revoked
	version      INTEGER NOT NULL,
	digest       BLOB NOT NULL CHECK (length(digest) = 32),
	reason       TEXT NOT NULL,
	first_by     INTEGER NOT NULL REFERENCES user(id),
	first_seq    INTEGER NOT NULL,
	second_by    INTEGER REFERENCES user(id),
	second_seq   INTEGER NOT NULL DEFAULT -1,
	appeal       TEXT NOT NULL DEFAULT '' CHECK (appeal IN ('',
	             'dismissed', 'granted')),
	appeal_seq   INTEGER NOT NULL DEFAULT -1,
	created_ms   INTEGER NOT NULL
) STRICT;
CREATE INDEX veto_nominee ON veto(nominee_id);

-- Evidence of a veto: SHA-256 of files kept under DATA/docs/<hex>.
CREATE TABLE veto_evidence (
	veto_id  INTEGER NOT NULL REFERENCES veto(id),
	sha256   BLOB NOT NULL CHECK (length(sha256) = 32),
	PRIMARY KEY (veto_id, sha256)
) STRICT;

-- The dishonesty register (失信记录), checked at entry in every later
-- round: the person by a salted hash of the normalized ID number (the
-- salt is meta.veto_salt, one per deployment), the round and the entry
-- that made the veto effective, and when the listing expires.
CREATE TABLE veto_register (
	id_hash      BLOB NOT NULL CHECK (length(id_hash) = 32),
	round_id     INTEGER NOT NULL REFERENCES round(id),
	nominee_id   INTEGER NOT NULL REFERENCES nominee(id),
	seq          INTEGER NOT NULL,
	listed_ms    INTEGER NOT NULL,
	expires_ms   INTEGER NOT NULL,
	lifted_seq   INTEGER NOT NULL DEFAULT -1, -- a granted appeal
	PRIMARY KEY (id_hash, seq)
) STRICT;

INSERT INTO meta (key, value) VALUES ('veto_salt', lower(hex(randomblob(32))));
INSERT INTO meta (key, value) VALUES ('veto_signatures', '1');
