"""Commands that write OKR files for users."""
