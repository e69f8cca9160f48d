"""Generating files: .dockerignore proposals, and optimized Dockerfiles for projects (init)."""
