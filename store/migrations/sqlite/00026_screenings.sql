-- +goose Up
-- Monthly screening (一月一排查): a unit's screening of its area for a
-- month (month: year*12 + month-1, petition.Month), the disputes found by
-- risk. Sending it again replaces it; screened_at is the latest.
CREATE TABLE unit_screenings (
    unit TEXT NOT NULL REFERENCES units (code),
    month INTEGER NOT NULL,
    found_high INTEGER NOT NULL,
    found_medium INTEGER NOT NULL,
    found_low INTEGER NOT NULL,
    screened_at INTEGER NOT NULL,
    PRIMARY KEY (unit, month)
);

-- +goose Down
DROP TABLE unit_screenings;
