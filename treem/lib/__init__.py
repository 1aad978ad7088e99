"""Framework-free helpers, one concern a module."""
