-- Whether the database holds synthetic demo data (`tie demo`): one row when it does, none otherwise.
-- Every page served from such a database says so (functions/demo/banner.py), and the nightly job
-- refuses to publish benchmarks from it unless told it is a demo. `nights` counts `tie demo --night`.
CREATE TABLE demo_data (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    created_at BIGINT NOT NULL,
    seed INTEGER NOT NULL,
    nights INTEGER NOT NULL DEFAULT 0
);
