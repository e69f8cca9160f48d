# only global build arguments: a shared header concatenated in front of other files
ARG GO_VERSION=1.22
ARG NODE_VERSION=20
ARG PYTHON_VERSION=3.12
ARG DEBIAN_RELEASE=bookworm
