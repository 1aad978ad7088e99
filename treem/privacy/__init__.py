"""Personal-data protection: the register of processing activities, consents, the data
subject's requests, retention, access alerts and breaches, and the exchange with the national
population database (Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15, Nghị định 356/2025/NĐ-CP;
docs/privacy-law.md)."""
