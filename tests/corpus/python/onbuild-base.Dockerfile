# syntax=docker/dockerfile:1
# An "onbuild" base for internal Python services: children only need FROM this image.
FROM python:3.12-slim
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --create-home --uid 10001 svc
WORKDIR /srv
ONBUILD COPY requirements.txt /srv/
ONBUILD RUN --mount=type=secret,id=pip_conf,target=/etc/pip.conf \
            --network=default \
            pip install -r /srv/requirements.txt
ONBUILD COPY --chown=10001:10001 . /srv/
ONBUILD RUN --network=none python -m compileall -q /srv
ONBUILD USER 10001
CMD ["python", "-m", "service"]
