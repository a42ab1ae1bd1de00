"""Answers before an appeal: frequently asked questions (the library, its search and the
staff's edits), the administration's contact information, and citizens' proposals."""
