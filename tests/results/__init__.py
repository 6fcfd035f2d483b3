"""Tests of functions/results/: results, next steps, the chart and the downloads."""
