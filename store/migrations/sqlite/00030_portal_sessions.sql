-- +goose Up
-- The portal's sessions, in the database so that every replica behind the
-- load balancer knows them and a restart keeps them: the SHA-256 of the
-- cookie's value (a read of this table gives no way in), the credential's
-- name, when the session began and when it was last used (to the minute).
CREATE TABLE portal_sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    credential TEXT NOT NULL,
    began INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
);
CREATE INDEX idx_portal_sessions_last_seen ON portal_sessions (last_seen);

-- +goose Down
DROP TABLE portal_sessions;
