-- The sets of councils that one person belongs to together, without who: what the nightly job needs
-- to check the benchmarks a person in several councils can see, and all it may read of memberships.
CREATE VIEW benchmark_viewer_councils AS
    SELECT string_agg(council, ',' ORDER BY council) AS councils FROM memberships GROUP BY person_id HAVING COUNT(*) > 1;
