-- +goose Up
-- What a dispute could become (potential: collective, skip_level,
-- extreme_act, online_outcry, other), as registered; NULL for a dispute
-- registered before it was asked, or without it. idx_disputes_potential
-- counts the open ones by it without leaving the index.
ALTER TABLE disputes ADD COLUMN potential VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NULL;
CREATE INDEX idx_disputes_potential ON disputes (status, potential, unit);

-- +goose Down
DROP INDEX idx_disputes_potential ON disputes;
ALTER TABLE disputes DROP COLUMN potential;
