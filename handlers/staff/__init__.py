"""Staff at work: operators' commands and buttons on appeals, the roster of roles, template
replies, and staff chats with a forum topic per appeal."""
