FROM alpine:3.20
# valid JSON, but not an array of strings: BuildKit refuses it
CMD ["sleep", 10]
