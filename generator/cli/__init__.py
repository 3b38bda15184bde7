"""The `okrs` command line: argparse in, exit codes out."""
