"""Tests of functions/people/: addresses, sign-in, sessions, the second factor, accounts, privacy."""
