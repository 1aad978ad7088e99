"""Unusual access and breaches: detection over the audit trail, the auditors' pages and API."""
