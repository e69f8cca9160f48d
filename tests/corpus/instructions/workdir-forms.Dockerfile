FROM alpine:3.20
WORKDIR /a
WORKDIR b
WORKDIR ../c
WORKDIR ./d/e
WORKDIR relative/path
ENV BASE=/srv
WORKDIR $BASE/app
WORKDIR ${BASE}/other
WORKDIR "/quoted dir"
WORKDIR /trailing/slash/
RUN pwd
