"""Tests of functions/feedback/: feedback and its summaries."""
