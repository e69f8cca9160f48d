from python:3.12-slim as build
workdir /app
copy requirements.txt .
run pip install --no-cache-dir --prefix=/install -r requirements.txt
copy . .

from python:3.12-slim
copy --from=build /install /usr/local
copy --from=build /app /app
workdir /app
env pythonunbuffered=1
expose 8000
user 1000
cmd ["python", "-m", "app"]
