# Stage 1: Build
FROM python:3.11 AS builder

WORKDIR /app

# Install build dependencies
RUN pip install --no-cache-dir pip-tools

# Create virtual environment
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

# Install dependencies
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# Stage 2: Runtime
FROM python:3.11-slim

WORKDIR /app

# Copy only the virtual environment
COPY --from=builder /opt/venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"

# Copy application code
COPY app/ ./app/

# Run as non-root
RUN useradd -r -s /bin/false appuser
USER appuser

CMD ["python", "-m", "app.main"]
