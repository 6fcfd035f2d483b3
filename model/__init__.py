"""The domain the site builder and the app share: the questionnaire, the vocabulary, the council register, problems."""
