"""People behind accounts: accounts linked by hand, their strikes, and repeat offenders."""
