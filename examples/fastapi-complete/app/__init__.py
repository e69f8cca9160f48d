"""The seed's "complete example" FastAPI application package."""
