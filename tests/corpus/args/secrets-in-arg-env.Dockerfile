FROM python:3.12-slim
ARG AWS_SECRET_ACCESS_KEY
ARG GITHUB_TOKEN=ghp_exampleexampleexampleexample0000
ARG DB_PASSWORD=postgres
ENV API_KEY=sk-test-0000000000000000
ENV DATABASE_URL=postgres://app:hunter2@db:5432/app
ENV SECRET_KEY_BASE 0123456789abcdef
ENV PASSWORD=""
RUN pip install --no-cache-dir "git+https://${GITHUB_TOKEN}@github.com/example/private.git"
COPY . /app
CMD ["python", "/app/main.py"]
