"""The OKR model: objectives, key results, people, teams, periods."""
