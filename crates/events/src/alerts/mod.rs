//! Alerts (stub).
