FROM alpine:3.20
CMD ["echo", "trailing comma",]
ENTRYPOINT ["a",,"b"]
