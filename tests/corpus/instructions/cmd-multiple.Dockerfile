FROM alpine:3.20
# only the last CMD and ENTRYPOINT take effect
CMD ["echo", "first"]
CMD ["echo", "second"]
ENTRYPOINT ["/bin/sh", "-c"]
ENTRYPOINT ["/bin/echo"]
CMD ["third"]
