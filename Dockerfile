# slimline in a container, built the way slimline recommends: dependencies in a
# builder stage, a distroless runtime with no shell and no package manager,
# a non-root user. `slimline lint` and `slimline optimize` find nothing to do here.
#
#   docker build -t slimline .
#   docker run --rm -v "$PWD:/work" slimline lint /work
#   docker run --rm -v /var/run/docker.sock:/var/run/docker.sock slimline analyze IMAGE

FROM python:3.11 AS builder
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH="/opt/venv/bin:$PATH"
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip install --no-cache-dir . && pip uninstall --yes --quiet pip

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=builder /opt/venv/lib/python3.11/site-packages /opt/venv/lib/python3.11/site-packages
ENV PYTHONPATH=/opt/venv/lib/python3.11/site-packages \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
WORKDIR /work
ENTRYPOINT ["/usr/bin/python3.11", "-m", "slimline"]
CMD ["--help"]
