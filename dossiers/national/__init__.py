"""Adapters to the national platforms (DVCQG sync, payment, population data, EMC, Zalo/SMS).

Each sits behind settings, talks to its platform (or the local simulator in seeds/simulators) with short
timeouts, and records the link's health in dossiers.national.links; whatever writes to a platform goes through
the outbox."""
