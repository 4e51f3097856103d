"""Files and dicts to validated models: documents, converter, line lookup, catalogue, schemas."""
