FROM alpine:3.20
RUN echo non-breaking-space-inside-word
ENV A="x em-space-inside-quotes"
RUN echo formfeed
CMD ["sh"]
