"""Queue tickets at the centre: issuing at the kiosk, calling at the counters, the display and the report."""
