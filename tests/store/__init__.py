"""Tests of functions/store/: both databases, batched writes, the durability check."""
