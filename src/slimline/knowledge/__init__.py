"""Facts as data: base images, package managers, waste and secret patterns."""
