//! Backtest (stub).
