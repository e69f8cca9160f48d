FROM python:3.12-alpine
COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv
COPY requirements.txt .
RUN uv pip install --system --no-cache -r requirements.txt
COPY . .
CMD ["python", "main.py"]
