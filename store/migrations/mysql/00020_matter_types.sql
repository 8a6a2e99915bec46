-- +goose Up
-- 2022 信访工作条例 art. 28: a petition is a claim (申诉求决), a suggestion
-- (建议意见) or an accusation (检举控告), and only a claim accepted for
-- handling has art. 34's limit and the review chain (arts. 35-36). Every
-- case stored before is a claim, as riskmon treated it, so no stored
-- deadline moves. A matter for another procedure is diverted (导入, arts.
-- 28, 30, 31(1)-(5)): the event names it in diverted_to, the case leaves
-- the petition procedure (status 'diverted', no stage), and diversion_tally
-- counts it by the unit that held it and the case's category; none was
-- stored before.
ALTER TABLE cases ADD COLUMN matter_type VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT 'claim' AFTER major;
ALTER TABLE case_events ADD COLUMN diverted_to VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NULL;
CREATE TABLE diversion_tally (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    category VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    diverted_to VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    shard TINYINT NOT NULL,
    diversions BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, category, diverted_to, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +goose Down
DROP TABLE diversion_tally;
ALTER TABLE case_events DROP COLUMN diverted_to;
ALTER TABLE cases DROP COLUMN matter_type;
