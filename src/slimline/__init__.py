"""slimline: lint, fix, analyze and optimize container images and their Dockerfiles."""

__version__ = "0.1.0"

__all__ = ["__version__"]
