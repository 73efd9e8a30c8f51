"""Landing assets of the dossiers feed."""
