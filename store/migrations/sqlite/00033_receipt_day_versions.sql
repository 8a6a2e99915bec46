-- +goose Up
-- A version of each UTC day's receipt buckets (receipt_bucket_tally), which
-- a writer moves on when it counts a receipt into a day before the day
-- before its own (a case registered late, an earlier case made a repeat):
-- a refresh keeps the receipt windows' settled days (store.KeptWindows) and
-- reads again only the days whose version moved. A day's version is
-- spread over shards by the receipt's unit and category, so that writers
-- of one day lock the rows their buckets' rows already make them wait on,
-- and a reader sums them. The row of the smallest
-- day stands for every day: what rewrites the buckets wholesale (the bulk
-- load, recount) moves it on. No row is version 0: a database upgraded in
-- place has none, and its first refresh reads every settled day.
CREATE TABLE receipt_day_versions (
    day INTEGER NOT NULL,
    shard INTEGER NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (day, shard)
);

-- +goose Down
DROP TABLE receipt_day_versions;
