# syntax=docker/dockerfile:1
FROM alpine:3.19
RUN <<eot
echo lower-case delimiter
eot
RUN <<END_OF_SCRIPT
echo underscores in delimiter
END_OF_SCRIPT
RUN <<X1
echo digit in delimiter
X1
RUN <<_
echo single underscore delimiter
_
