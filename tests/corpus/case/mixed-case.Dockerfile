From golang:1.22-alpine As Builder
WorkDir /src
Copy go.* ./
rUN go mod download
COPY . .
Run CGO_ENABLED=0 go build -o /bin/svc ./cmd/svc

fRoM gcr.io/distroless/static-debian12 aS runtime
CoPy --from=Builder /bin/svc /svc
UsEr nonroot
EntryPoint ["/svc"]
