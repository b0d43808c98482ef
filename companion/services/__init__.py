"""Services: the only code that writes to the database. Each owns its transaction."""
