"""Unsafe (structural) fixes: they change what the image contains; `slimline optimize` proves them."""
