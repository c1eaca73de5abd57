"""Family export, learner withdrawal and deletion, receipts, retention (issue 13's duties)."""
