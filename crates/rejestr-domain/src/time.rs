//! Time in the register: UTC storage, Europe/Warsaw display (being written).
