"""The administration asking and informing: polls and surveys, public discussions of draft
documents, reference groups and the mailings sent to them, and who is asked (audiences)."""
