"""Contest services: entries and teams, files, submission, jury, public vote, results."""
