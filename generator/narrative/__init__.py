"""Narrative: the figures formatted in the profile's style, and the sentences built from them once."""
