"""Named entities: spaCy NER, canonical names, gazetteer ids and salience (pure functions, no Beam)."""
