FROM alpine:3.20 AS Build
RUN echo building > /out
FROM alpine:3.20 AS TEST
COPY --from=build /out /out
RUN cat /out
FROM scratch
COPY --from=BUILD /out /out
