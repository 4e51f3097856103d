"""The condition language: its syntax tree and parser, operators, compiler and explanations."""
