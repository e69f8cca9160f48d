#SYNTAX = docker/dockerfile:1
#	Check	=	skip=all
FROM busybox:1.36
RUN true
