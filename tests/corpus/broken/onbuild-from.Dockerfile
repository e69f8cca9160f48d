FROM alpine:3.20
ONBUILD FROM debian:bookworm
