"""Monthly PDF progress reports for steering groups, kept as immutable snapshots."""
