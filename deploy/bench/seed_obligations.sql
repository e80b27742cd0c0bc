-- PostgreSQL twin of seed_obligations.py: N open obligations of the `demo` organisation, each
-- on a case of its own, all with their next escalation step 36 hours away except `due` of
-- them, whose cases became known 40 hours ago (past the ladder's 50 % rung), so a tick has
-- steps to write. Used by tick.sh:
--   psql "$URL" -v count=1000000 -v due=100 -f deploy/bench/seed_obligations.sql
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE bench_seed AS
SELECT g AS i,
       (SELECT id FROM organisations WHERE slug = 'demo') AS org,
       (SELECT COALESCE(MAX(seq), 0) FROM cases
         WHERE organisation_id = (SELECT id FROM organisations WHERE slug = 'demo')) + g AS seq,
       CASE WHEN g <= :due THEN now() - interval '40 hours' ELSE now() - interval '5 minutes' END AS aware
FROM generate_series(1, :count) AS g;

INSERT INTO cases (organisation_id, year, seq, state, classification, source, description, occurred_kind,
                   discovered_at, reported_at, aware_at, data_categories, follow_token_hash, updated_at)
SELECT org, 2026, seq, 'assessed', 'personal_data_breach', 'employee', 'Zdarzenie ' || seq, 'unknown',
       aware, aware, aware, '[]', 'bench-' || seq, aware
FROM bench_seed;

INSERT INTO obligations (case_id, organisation_id, kind, state, start_at, deadline, next_step_at,
                         created_at, updated_at)
SELECT c.id, s.org, 'notify_sa', 'pending', s.aware, s.aware + interval '72 hours',
       CASE WHEN s.i <= :due THEN now() - interval '1 second' ELSE s.aware + interval '36 hours' END,
       now(), now()
FROM bench_seed s JOIN cases c ON c.organisation_id = s.org AND c.year = 2026 AND c.seq = s.seq;

INSERT INTO case_counters (organisation_id, year, last_seq)
SELECT org, 2026, MAX(seq) FROM bench_seed GROUP BY org
ON CONFLICT (organisation_id, year) DO UPDATE SET last_seq = excluded.last_seq;
COMMIT;
VACUUM ANALYZE cases;
VACUUM ANALYZE obligations;
