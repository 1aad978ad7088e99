"""`make audit`: accessibility, best practices and speed of each role's main pages, measured.

A throwaway demo database (setup_demo on SQLite under a temporary directory), the site served by
gunicorn as in production, each demo role signed in through Playwright (TOTP computed from the key
shown at enrolment), then on every page of `audit.pages.PAGES`: axe-core injected into the page at
360 px and at 1366 px, and Lighthouse (mobile profile, simulated throttling) once. See docs/audit.md.
"""
