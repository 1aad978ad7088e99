"""Forms of the commune's review pages."""
