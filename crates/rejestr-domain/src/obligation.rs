//! Obligations and their deadlines (being written).
