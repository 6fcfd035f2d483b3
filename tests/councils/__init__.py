"""Tests of functions/councils/: councils, members and roles, invitations."""
