//! Deadline clocks and the escalation ladder (being written).
