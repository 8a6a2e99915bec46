-- +goose Up
-- The portal's sessions, in the database so that every replica behind the
-- load balancer knows them and a restart keeps them: the SHA-256 of the
-- cookie's value (a read of this table gives no way in), the credential's
-- name, when the session began and when it was last used (to the minute).
CREATE TABLE portal_sessions (
    id_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    credential VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    began BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    KEY idx_portal_sessions_last_seen (last_seen)
) ENGINE=InnoDB DEFAULT CHARSET=ascii;

-- +goose Down
DROP TABLE portal_sessions;
