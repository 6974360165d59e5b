//! Indices (stub).
