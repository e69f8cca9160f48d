FROM python:3.11 AS requirements
RUN pip install poetry poetry-plugin-export
COPY pyproject.toml poetry.lock /src/
RUN cd /src && poetry export -f requirements.txt --without-hashes -o /requirements.txt

FROM python:3.11-slim
COPY --from=requirements /requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir -r /tmp/requirements.txt
COPY . /src
CMD ["python", "/src/main.py"]
