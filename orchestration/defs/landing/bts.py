"""Landing assets of the bts feed."""
