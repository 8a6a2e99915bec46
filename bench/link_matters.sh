#!/bin/bash
# Gives a seeded MariaDB database (riskmon seed) the matters of issue 24's
# refresh target: MATTERS registered matters (default 10,000) spread over
# the demo units and categories, one case in five naming one of them, and
# one dispute in ten. It writes the tables directly, as a bench fixture:
# the matters are no tally, so no counter needs recounting after it; it
# moves the matters' cases_version on, as every writer of a case does, so a
# running riskmon reads their histories again (store.KeptHistories).
#   bench/link_matters.sh DATABASE [MATTERS]
set -euo pipefail
db=$1
n=${2:-10000}
mariadb -uroot -h127.0.0.1 "$db" <<SQL
SET SESSION max_recursive_iterations = 1000000;
DELETE FROM matters WHERE code LIKE 'bench-m%';
INSERT INTO matters (code, name, unit, category)
WITH RECURSIVE seq (i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < $n)
SELECT CONCAT('bench-m', LPAD(i, 6, '0')), CONCAT('演示事项', i),
    (SELECT code FROM units ORDER BY code LIMIT 1 OFFSET 0) , (SELECT code FROM categories ORDER BY code LIMIT 1)
FROM seq;
UPDATE matters m JOIN (SELECT code, ROW_NUMBER() OVER (ORDER BY code) - 1 AS k FROM units) u
    ON u.k = CAST(SUBSTRING(m.code, 8) AS UNSIGNED) % (SELECT COUNT(*) FROM units) SET m.unit = u.code
    WHERE m.code LIKE 'bench-m%';
UPDATE cases SET matter = CONCAT('bench-m', LPAD(id % $n, 6, '0')), received_matter = CONCAT('bench-m', LPAD(id % $n, 6, '0'))
    WHERE id % 5 = 0;
UPDATE matters SET cases_version = cases_version + 1;
UPDATE disputes SET matter = CONCAT('bench-m', LPAD(id % $n, 6, '0')) WHERE id % 10 = 0;
SQL
mariadb -uroot -h127.0.0.1 "$db" -e "SELECT COUNT(*) AS matters FROM matters; SELECT COUNT(*) AS cases_naming_one FROM cases WHERE matter IS NOT NULL; SELECT COUNT(*) AS disputes_naming_one FROM disputes WHERE matter IS NOT NULL"
