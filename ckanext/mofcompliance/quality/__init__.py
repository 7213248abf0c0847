"""Verified quality: the resources themselves checked, and the catalog graded from them."""
