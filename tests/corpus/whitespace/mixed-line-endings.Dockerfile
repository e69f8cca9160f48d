FROM alpine:3.20
RUN echo lf
RUN echo crlf-above \
    && echo continued-lf \
    && echo continued-crlf
CMD ["sh"]
