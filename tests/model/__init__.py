"""Tests of model/: the questionnaire and front matter."""
