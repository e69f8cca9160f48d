ARG BASE=alpine:3.20
FROM ${BASE} AS s00
RUN echo 0 > /chain
FROM s00 AS s01
RUN echo 1 >> /chain
FROM s01 AS s02
RUN echo 2 >> /chain
FROM s02 AS s03
RUN echo 3 >> /chain
FROM s03 AS s04
RUN echo 4 >> /chain
FROM s04 AS s05
RUN echo 5 >> /chain
FROM s05 AS s06
RUN echo 6 >> /chain
FROM s06 AS s07
RUN echo 7 >> /chain
FROM s07 AS s08
RUN echo 8 >> /chain
FROM s08 AS s09
RUN echo 9 >> /chain
FROM alpine:3.20 as s10
COPY --from=s09 /chain /chain
RUN echo 10 >> /chain
FROM s10 AS s11
RUN echo 11 >> /chain
FROM s11 AS s12
RUN echo 12 >> /chain
FROM s12 AS s13
RUN echo 13 >> /chain
FROM s13 AS s14
RUN echo 14 >> /chain
FROM s14 AS s15
RUN echo 15 >> /chain
FROM s15 AS s16
RUN echo 16 >> /chain
FROM s16 AS s17
RUN echo 17 >> /chain
FROM s17 AS s18
RUN echo 18 >> /chain
FROM s18 AS s19
RUN echo 19 >> /chain
FROM alpine:3.20 as s20
COPY --from=s19 /chain /chain
RUN echo 20 >> /chain
FROM s20 AS s21
RUN echo 21 >> /chain
FROM s21 AS s22
RUN echo 22 >> /chain
FROM s22 AS s23
RUN echo 23 >> /chain
FROM s23 AS s24
RUN echo 24 >> /chain
FROM s24 AS s25
RUN echo 25 >> /chain
FROM s25 AS s26
RUN echo 26 >> /chain
FROM s26 AS s27
RUN echo 27 >> /chain
FROM s27 AS s28
RUN echo 28 >> /chain
FROM s28 AS s29
RUN echo 29 >> /chain
FROM alpine:3.20 as s30
COPY --from=s29 /chain /chain
RUN echo 30 >> /chain
FROM s30 AS s31
RUN echo 31 >> /chain
FROM s31 AS s32
RUN echo 32 >> /chain
FROM s32 AS s33
RUN echo 33 >> /chain
FROM s33 AS s34
RUN echo 34 >> /chain
FROM s34 AS s35
RUN echo 35 >> /chain
FROM s35 AS s36
RUN echo 36 >> /chain
FROM s36 AS s37
RUN echo 37 >> /chain
FROM s37 AS s38
RUN echo 38 >> /chain
FROM s38 AS s39
RUN echo 39 >> /chain
FROM alpine:3.20 as s40
COPY --from=s39 /chain /chain
RUN echo 40 >> /chain
FROM s40 AS s41
RUN echo 41 >> /chain
FROM s41 AS s42
RUN echo 42 >> /chain
FROM s42 AS s43
RUN echo 43 >> /chain
FROM s43 AS s44
RUN echo 44 >> /chain
FROM s44 AS s45
RUN echo 45 >> /chain
FROM s45 AS s46
RUN echo 46 >> /chain
FROM s46 AS s47
RUN echo 47 >> /chain
FROM s47 AS s48
RUN echo 48 >> /chain
FROM s48 AS s49
RUN echo 49 >> /chain
FROM alpine:3.20 as s50
COPY --from=s49 /chain /chain
RUN echo 50 >> /chain
FROM s50 AS s51
RUN echo 51 >> /chain
FROM s51 AS s52
RUN echo 52 >> /chain
FROM s52 AS s53
RUN echo 53 >> /chain
FROM s53 AS s54
RUN echo 54 >> /chain
FROM s54 AS s55
RUN echo 55 >> /chain
FROM s55 AS s56
RUN echo 56 >> /chain
FROM s56 AS s57
RUN echo 57 >> /chain
FROM s57 AS s58
RUN echo 58 >> /chain
FROM s58 AS s59
RUN echo 59 >> /chain
FROM alpine:3.20 as s60
COPY --from=s59 /chain /chain
RUN echo 60 >> /chain
FROM s60 AS s61
RUN echo 61 >> /chain
FROM s61 AS s62
RUN echo 62 >> /chain
FROM s62 AS s63
RUN echo 63 >> /chain
FROM scratch AS final
COPY --from=s63 /chain /chain
COPY --from=0 /chain /first-chain
COPY --from=32 /chain /middle-chain
