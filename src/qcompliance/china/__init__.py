"""Chinese identifiers and classes: the unified social credit code and the NBS size class."""
