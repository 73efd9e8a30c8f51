"""Landing assets of the ocop feed."""
