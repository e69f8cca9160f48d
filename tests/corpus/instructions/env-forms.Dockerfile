FROM alpine:3.20
ENV PATH /usr/local/bin:$PATH
ENV LANG C.UTF-8
ENV GREETING hello world with spaces
ENV A=1 B=2 C=3
ENV QUOTED="a value with spaces" SINGLE='single $NOT_EXPANDED'
ENV ESCAPED=a\ b\ c
ENV EMPTY=
ENV REFERS=$A-${B}-${C:-default}-${UNSET:-fallback}-${A:+set}
ENV MULTI=one \
    TWO=two
ENV PATH=/opt/tool/bin:${PATH}
