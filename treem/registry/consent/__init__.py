"""Consent where consent is the legal basis of processing a child's data (Luật 91/2025/QH15
Điều 24): who consented, for what, when and how, its withdrawal, and the age check before a
consent is relied upon. Higher apps (plans, fund) ask `selectors.consent_required` before they
publish a child's name or photo."""
