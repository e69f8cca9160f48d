# check=error=true
# syntax=docker/dockerfile:1.8
FROM python:3.12-slim
ARG PIP_INDEX_URL
RUN pip install --no-cache-dir httpx
