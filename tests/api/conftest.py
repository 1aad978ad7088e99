"""The API's contract tests run in the scope test's world: the personas, two communes of a
province and another province, with a child, a case, a referral… in each."""

from treem.web.tests.test_scope_coverage import world  # noqa: F401 (a fixture)
