FROM python:3.12-slim AS exec-form
ENTRYPOINT ["python", "-m", "http.server"]
CMD ["8000"]

FROM python:3.12-slim AS shell-form
ENTRYPOINT python -m http.server
CMD 8000

FROM python:3.12-slim AS mixed
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD python app.py --workers 4

FROM python:3.12-slim AS empty-cmd
ENTRYPOINT ["tini", "--", "python"]
CMD []

FROM python:3.12-slim AS sh-c
CMD ["sh", "-c", "exec gunicorn --bind 0.0.0.0:${PORT:-8000} app:app"]
