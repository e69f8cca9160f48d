ARG PYTHON_VERSION=3.12
ARG VARIANT=slim-bookworm
ARG REGISTRY=docker.io/library

FROM ${REGISTRY}/python:${PYTHON_VERSION}-${VARIANT} AS base
# a global ARG must be re-declared to be visible inside a stage
ARG PYTHON_VERSION
RUN echo "building for python $PYTHON_VERSION"

FROM $REGISTRY/python:$PYTHON_VERSION-alpine AS alt
RUN python --version
