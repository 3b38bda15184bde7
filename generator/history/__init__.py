"""Git history -> weekly snapshots, changes, check-ins; diffs and the changelog renderers."""
