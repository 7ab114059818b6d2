"""Places: place mentions in a parsed text, resolved to gazetteer entries and coordinates.

document.py is the entry point (document_places, toponym_places). mentions.py finds the
mentions, with lists.py (lists of districts), evidence.py (words that back a candidate) and
relations.py ("south of", "near"); links.py lets the names of a document narrow each other
("Paris, Texas"); choice.py picks one gazetteer entry per mention, helped by
phones.py (area codes a paper prints) and source_homes.py (where a source's earlier documents
lie). gazetteer.py loads the shipped place data from eventline/data/places/; geometry.py
holds the one great-circle distance.
"""
