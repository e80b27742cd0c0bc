//! The risk-assessment engine (being written).
