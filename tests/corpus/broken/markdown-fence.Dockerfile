```dockerfile
FROM alpine:3.20
RUN echo copied from a README with the fence
```
