-- +goose Up
-- 2022 信访工作条例 arts. 35-36: the window for a review (or re-review) runs
-- from the petitioner's receipt of the written decision, which the record
-- may not hold, so a request is recorded whenever it comes; one the record
-- shows outside the window has case_events.late set. request_tally counts
-- them by the unit whose decision they contest, in the writers'
-- transactions; the requests stored before were all within the window.
CREATE TABLE request_tally (
    unit TEXT NOT NULL,
    stage TEXT NOT NULL,
    shard INTEGER NOT NULL,
    requests INTEGER NOT NULL DEFAULT 0,
    late INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (unit, stage, shard)
);
INSERT INTO request_tally (unit, stage, requests, late, shard)
SELECT unit, CASE type WHEN 'review_requested' THEN 'review' ELSE 're_review' END, COUNT(*), SUM(late), 0 FROM case_events
WHERE type IN ('review_requested', 're_review_requested') GROUP BY unit, type;

-- +goose Down
DROP TABLE request_tally;
