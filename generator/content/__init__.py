"""The library's content: reading and checking resources, their fields, kinds and facets, the ledger of addresses."""
