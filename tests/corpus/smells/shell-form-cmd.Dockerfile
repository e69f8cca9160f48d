FROM python:3.12-slim
WORKDIR /app
COPY . .
USER 1000
ENTRYPOINT python -m app
CMD python -m app --port 8000
