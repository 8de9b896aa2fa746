"""Local simulators of the national platforms: real HTTP servers that check every field they receive.

Each module here that defines a `Simulator` subclass named `SIMULATOR` is one platform; `python -m
seeds.simulators` starts them all (or the ones named on the command line) for `make run`'s demo, and the tests
start them in a thread with tests/simulators.py."""
