FROM postgres:16
# disable the health check inherited from the base image
HEALTHCHECK NONE
ENV POSTGRES_DB=app
