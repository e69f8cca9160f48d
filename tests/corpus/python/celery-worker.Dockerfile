FROM python:3.11-slim
RUN pip install --no-cache-dir celery[redis]==5.4.0 flower
COPY tasks.py /app/tasks.py
WORKDIR /app
RUN useradd -m worker
USER worker
CMD ["celery", "-A", "tasks", "worker", "--loglevel=INFO", "--concurrency=2"]
