"""What a person chooses and holds: language, the accessible mode, and their personal data
(what is kept, and its erasure under 152-ФЗ)."""
