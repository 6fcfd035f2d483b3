"""Tests of functions/assessment/: rounds, responses, answers, the form, its pages and API."""
