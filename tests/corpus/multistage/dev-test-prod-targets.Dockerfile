# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt

FROM base AS dev
COPY requirements-dev.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements-dev.txt
CMD ["python", "-m", "flask", "run", "--debug", "--host=0.0.0.0"]

FROM dev AS test
COPY . .
RUN python -m pytest -q

FROM base AS prod
COPY --from=test /app/src ./src
RUN useradd --uid 10001 --no-create-home app
USER 10001
EXPOSE 8000
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "src.wsgi:app"]
