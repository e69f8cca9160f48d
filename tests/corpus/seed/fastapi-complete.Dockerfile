# syntax=docker/dockerfile:1.4

# Stage 1: Dependencies
FROM python:3.11-slim AS deps

WORKDIR /app
RUN pip install --no-cache-dir pip-tools

COPY requirements.in .
RUN pip-compile requirements.in -o requirements.txt && \
    pip install --no-cache-dir -r requirements.txt --target=/deps

# Stage 2: Production
FROM gcr.io/distroless/python3-debian12

WORKDIR /app
ENV PYTHONPATH=/deps

COPY --from=deps /deps /deps
COPY app/ ./app/

EXPOSE 8000
CMD ["app.main:app", "--host", "0.0.0.0", "--port", "8000"]
