"""Offline work for village collaborators (docs/offline.md): the installable app's pages, what a
phone downloads, and the operations it sends back, applied by the register's and the cases' own
services with conflicts left to a person."""
