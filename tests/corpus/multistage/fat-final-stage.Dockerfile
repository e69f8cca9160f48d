# multi-stage in name only: the final stage is the full SDK image again
FROM golang:1.22 AS build
WORKDIR /src
COPY . .
RUN go build -o /bin/app .

FROM golang:1.22
COPY --from=build /bin/app /bin/app
COPY . /src
CMD ["/bin/app"]
