"""Landing assets of the population feed."""
