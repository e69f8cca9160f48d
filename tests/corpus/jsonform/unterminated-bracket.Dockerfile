FROM alpine:3.20
CMD ["sh", "-c", "echo missing bracket"
ENTRYPOINT ["/bin/true"
RUN ["echo", "still shell form"
