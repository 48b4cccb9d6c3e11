"""The administrators' view of the mail outbox: what was sent, what waits, what failed."""
