"""Benchmarks for Dialog: a data generator and a wrk harness against a bare Flask baseline."""
