"""`okrs demo`: a sample organisation with backdated weekly history."""
