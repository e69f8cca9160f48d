FROM alpine:3.20
# U+2003 EM SPACE splits the ENV value; BuildKit then rejects the bare word
ENV A=x em-space-in-value
