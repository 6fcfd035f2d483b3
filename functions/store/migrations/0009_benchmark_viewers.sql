-- The sets of councils that one person belongs to together, without who: what the nightly job needs
-- to check the benchmarks a person in several councils can see, and all it may read of memberships.
-- (group_concat's order is not fixed in SQLite: the job sorts each set.) PostgreSQL: its twin file.
CREATE VIEW benchmark_viewer_councils AS
    SELECT group_concat(council, ',') AS councils FROM memberships GROUP BY person_id HAVING COUNT(*) > 1;
