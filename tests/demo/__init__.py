"""Tests of functions/demo/: synthetic published responses for a local database."""
