"""Verified quality: resource checks and the grades computed from them."""
