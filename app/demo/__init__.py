"""Demo data for development and benchmarks; never loaded in production."""
