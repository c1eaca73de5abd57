"""One page function per module."""
