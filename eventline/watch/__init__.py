"""`eventline watch`: follow feeds, folders and sources files; ingest what is new; fire alerts."""
