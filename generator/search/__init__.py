"""The Exchange's own search index, chunked so that a first search loads little."""
