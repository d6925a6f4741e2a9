"""Rendering of feature messages: catalog texts and keyboards, no sending."""
