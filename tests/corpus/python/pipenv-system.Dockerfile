FROM python:3.10-slim AS base
ENV LANG=C.UTF-8 LC_ALL=C.UTF-8 PYTHONFAULTHANDLER=1

FROM base AS deps
RUN pip install --no-cache-dir pipenv
COPY Pipfile Pipfile.lock ./
RUN PIPENV_VENV_IN_PROJECT=1 pipenv install --deploy

FROM base
COPY --from=deps /.venv /.venv
ENV PATH="/.venv/bin:$PATH"
RUN useradd --create-home appuser
WORKDIR /home/appuser
USER appuser
COPY . .
ENTRYPOINT ["python", "-m", "http.server"]
