FROM \
    python:3.12-slim \
    AS \
    app
ARG \
    VERSION=1.0
ENV \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
LABEL \
    org.opencontainers.image.version=$VERSION
WORKDIR \
    /app
COPY \
    --chown=1000:1000 \
    requirements.txt \
    ./
RUN \
    pip install --no-cache-dir \
    -r requirements.txt
EXPOSE \
    8000 \
    8443
USER \
    1000
CMD \
    ["python", \
     "-m", \
     "app"]
