# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended,StageNameCasing;error=true
FROM debian:bookworm-slim AS Builder
RUN echo build
FROM Builder
CMD echo shell form on purpose
