"""Real catalogue data and the demo-data generator."""
