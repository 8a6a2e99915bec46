-- +goose Up
-- Monthly screening (一月一排查): a unit's screening of its area for a
-- month (month: year*12 + month-1, petition.Month), the disputes found by
-- risk. Sending it again replaces it; screened_at is the latest.
CREATE TABLE unit_screenings (
    unit VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    month INT NOT NULL,
    found_high INT NOT NULL,
    found_medium INT NOT NULL,
    found_low INT NOT NULL,
    screened_at BIGINT NOT NULL,
    PRIMARY KEY (unit, month),
    CONSTRAINT fk_unit_screenings_unit FOREIGN KEY (unit) REFERENCES units (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- +goose Down
DROP TABLE unit_screenings;
