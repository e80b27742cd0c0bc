-- PostgreSQL twin of seed_cases.py: N synthetic cases of the `demo` organisation (70% closed,
-- 20% assessed, 10% new), written directly. Used by register.sh:
--   psql "$URL" -v count=100000 -f deploy/bench/seed_cases.sql
\set ON_ERROR_STOP on
SELECT setseed(0.72) \gset
BEGIN;
WITH org AS (SELECT id FROM organisations WHERE slug = 'demo'),
     start AS (SELECT COALESCE(MAX(seq), 0) AS s FROM cases, org
               WHERE cases.organisation_id = org.id AND year = 2026),
     words AS (SELECT ARRAY['e-mail', 'pendrive', 'phishing', 'laptop', 'wydruk', 'ePUAP', 'BIP',
                            'monitoring', 'kadry', 'podatki'] AS w)
INSERT INTO cases (organisation_id, year, seq, state, classification, source, description, occurred_kind,
                   discovered_at, reported_at, aware_at, location, data_categories, subjects_estimate,
                   reporter_name, follow_token_hash, updated_at)
SELECT org.id, 2026, start.s + g,
       CASE WHEN r < 0.7 THEN 'closed' WHEN r < 0.9 THEN 'assessed' ELSE 'reported' END,
       'unclassified', 'employee',
       'Zdarzenie ' || (start.s + g) || ': ' || w[1 + (g * 7) % 10] || ' i ' || w[1 + (g * 3) % 10]
           || ' w wydziale ' || (1 + g % 40) || '.',
       'unknown', at, at, at, 'Wydział ' || (1 + g % 40), '[]', 1 + g % 500, 'Jan Kowalski',
       md5('bench-' || g) || md5('token-' || g), at
FROM org, start, words, generate_series(1, :count) AS g,
     LATERAL (SELECT random() + 0 * g AS r, timestamptz '2026-01-01 00:00:00+00' + (g * interval '4 minutes') AS at) AS v;
INSERT INTO case_counters (organisation_id, year, last_seq)
SELECT organisation_id, 2026, MAX(seq) FROM cases
WHERE organisation_id = (SELECT id FROM organisations WHERE slug = 'demo') AND year = 2026
GROUP BY organisation_id
ON CONFLICT (organisation_id, year) DO UPDATE SET last_seq = excluded.last_seq;
COMMIT;
VACUUM ANALYZE cases;
