"""What the bot says, made durable: the outbox rows written with the change that caused them,
how an outgoing message is stored, and what follows from its delivery or failure."""
