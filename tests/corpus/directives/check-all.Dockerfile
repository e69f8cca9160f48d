# check=skip=all
FROM alpine:3.20 as base
env FOO bar
CMD echo "no checks"
