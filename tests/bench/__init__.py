"""Benchmarks: bench_<topic>.py modules exposing main(small=False) -> list[dict], run by tests.bench.run."""
