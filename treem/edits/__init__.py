"""Edits of a record read at a version: the check that refuses a stale save of a field someone
changed since (and merges changes to other fields), and the form that carries the version.

It sits above the trail, which tells who saved the other value and when, and below every app
that edits records (registry, cases, reports; the offline sync of village collaborators will
send its operations through the same check)."""
