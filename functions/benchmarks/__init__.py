"""The benchmarks: the nightly release of anonymised figures by comparator group, and its disclosure control.

Owns `tie nightly` (functions/commands/nightly.py) and the release tables (0008_benchmarks.sql).
snapshot: consensus.shared_consensus; figures.py counts; rules.py (the thresholds and the rules
for one figure), span.py (sums and differences of figures) and disclosure.py (applying them until
nothing changes) decide what each audience sees; release.py computes a release, releases.py records
it, package.py writes the open-data package; nightly.py runs a night. Exports no routes: the app's
results pages read the signed-in figures with `releases.signed_in_figures`.
"""

FEATURES = ()
