"""Tests of functions/consensus/: the spread, the agenda and the recorded consensus."""
